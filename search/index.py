"""Keeping the search index in step with the content: what is indexed, and when it is rebuilt.

**What.** Each lesson gives one document per section (the text under each h2 or h3 heading,
linked to the heading's anchor, and the text before the first heading); each quiz one for its
title and description and one per question prompt; each decision matrix one for its title and
description and one per condition (row), holding every column's verdict and why.

Quiz explanations and choices' feedback are *not* indexed: DESIGN.md, "Who may see what",
says correct answers never appear in a page before the attempt is submitted, and a search
that finds a question by the words of its explanation would show them (or confirm a guess).

**When.** The index records the content version it was made from
(``config.page_cache.content_version``: one query over the content tables' row counts and
latest edits, the same signal that renews cached pages). A search whose version differs
rebuilds the index first, in one transaction, so an edit in the admin, a ``load_content`` or a
bulk change that moves ``updated_at`` is found by the next search, in every process. The
shipped content is about 200 documents; a rebuild takes a few tens of milliseconds.
``load_content`` also rebuilds it at the end of its transaction (``SearchConfig.ready``).
"""

import html
import re
from collections.abc import Iterator

from django.db import transaction
from django.utils.html import strip_tags

from config.page_cache import content_version
from core.rendering import EMBED_PLACEHOLDER
from lessons.models import Lesson
from matrix.models import DecisionMatrix, MatrixCell
from quizzes.models import Question, Quiz

from .models import IndexState, SearchDocument

# The engines mark matches with these private-use characters, which no indexed text may hold.
MARK_START, MARK_END = "\ue000", "\ue001"
# PostgreSQL's ts_headline reads its text as a document with tags and entities and would drop
# "<b>" or "&lt;" from a passage; it is given these in their place, put back afterwards.
STAND_INS = {"<": "\ue002", "&": "\ue003"}
PRIVATE = (MARK_START, MARK_END, *STAND_INS.values())
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
_SPACE = re.compile(r"\s+")


def text_of(fragment: str) -> str:
    """The plain text of sanitised HTML: no tags, entities decoded, spaces collapsed."""
    fragment = EMBED_PLACEHOLDER.sub(" ", fragment or "")
    text = html.unescape(strip_tags(fragment.replace("<", " <")))
    for char in PRIVATE:
        text = text.replace(char, "")
    return _SPACE.sub(" ", text).strip()


def lesson_sections(body_html: str) -> Iterator[tuple[str, str, str]]:
    """``(anchor, heading, text)`` for the part before the first heading and each section."""
    parts = _HEADING.split(body_html or "")
    # re.split with three groups: text, then (level, id, heading, text) for each heading.
    yield "", "", text_of(parts[0])
    for at in range(1, len(parts), 4):
        _level, anchor, heading, text = parts[at : at + 4]
        yield anchor, text_of(heading), text_of(text)


def documents() -> Iterator[SearchDocument]:
    """Every document of the current content, drafts included (marked not public)."""
    yield from _lesson_documents()
    yield from _quiz_documents()
    yield from _matrix_documents()


def _lesson_documents() -> Iterator[SearchDocument]:
    lessons = Lesson.objects.select_related("course").only(
        "slug", "title", "order", "status", "body_html", "course__slug", "course__title",
        "course__order", "course__is_published",
    ).order_by("course__order", "course_id", "order", "id")  # fmt: skip
    for lesson in lessons:
        url = lesson.get_absolute_url()
        public = lesson.is_published and lesson.course.is_published
        for anchor, heading, text in lesson_sections(lesson.body_html):
            if not (text or heading):
                continue
            yield SearchDocument(
                kind=SearchDocument.Kind.LESSON,
                title=lesson.title,
                heading=heading,
                body=text,
                url=f"{url}#{anchor}" if anchor else url,
                course_title=lesson.course.title,
                is_public=public,
            )


def _quiz_documents() -> Iterator[SearchDocument]:
    quizzes = Quiz.objects.select_related("course").only(
        "slug", "title", "description_html", "is_published", "course__title",
        "course__is_published",
    ).order_by("course__order", "course_id", "order", "id")  # fmt: skip
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.only("quiz_id", "prompt_html").order_by("order", "id"):
        questions.setdefault(question.quiz_id, []).append(question)
    for quiz in quizzes:
        common = {
            "kind": SearchDocument.Kind.QUIZ,
            "title": quiz.title,
            "url": quiz.get_absolute_url(),
            "course_title": quiz.course.title,
            "is_public": quiz.is_published and quiz.course.is_published,
        }
        yield SearchDocument(body=text_of(quiz.description_html), **common)
        for question in questions.get(quiz.pk, []):
            yield SearchDocument(heading="A question", body=text_of(question.prompt_html), **common)


def _matrix_documents() -> Iterator[SearchDocument]:
    matrices = list(DecisionMatrix.objects.prefetch_related("columns", "rows"))
    cells = {
        (cell.row_id, cell.column_id): cell
        for cell in MatrixCell.objects.only("row_id", "column_id", "verdict", "explanation_html")
    }
    for matrix in matrices:
        common = {
            "kind": SearchDocument.Kind.MATRIX,
            "title": matrix.title,
            "url": matrix.get_absolute_url(),
            "is_public": matrix.is_published,
        }
        yield SearchDocument(body=text_of(matrix.description_html), **common)
        columns = list(matrix.columns.all())
        for row in matrix.rows.all():
            said = []
            for column in columns:
                cell = cells.get((row.pk, column.pk))
                if cell is not None:
                    said.append(f"{column.label}: {cell.verdict}. {text_of(cell.explanation_html)}")
            yield SearchDocument(heading=row.label, body=" ".join(said), **common)


def rebuild(*, version: str | None = None) -> int:
    """Replace every document with those of the current content; return how many there are.

    Given the ``version`` a search found stale, it rebuilds only if no other process has done
    so meanwhile: the state row is locked first (on PostgreSQL; SQLite has one writer at a
    time), so two processes that find the index stale rebuild it once, one after the other.
    """
    with transaction.atomic():
        built = (
            IndexState.objects.select_for_update()
            .filter(pk=1)
            .values_list("content_version", flat=True)
            .first()
        )
        if version is not None and built == version:
            return SearchDocument.objects.count()
        version = version or content_version()
        made = [_clipped(document, order) for order, document in enumerate(documents())]
        SearchDocument.objects.all().delete()
        SearchDocument.objects.bulk_create(made)
        IndexState.objects.update_or_create(pk=1, defaults={"content_version": version})
    return len(made)


def ensure_fresh() -> None:
    """Rebuild the index if the content changed since it was made: two queries when not."""
    version = content_version()
    built = IndexState.objects.filter(pk=1).values_list("content_version", flat=True).first()
    if built != version:
        rebuild(version=version)


def refresh_after_load(root, stats) -> None:
    """The content handler: rebuild at the end of ``load_content``'s transaction."""
    rebuild()


def _clipped(document: SearchDocument, order: int) -> SearchDocument:
    document.order = order
    document.title = document.title[:300]
    document.heading = document.heading[:300]
    return document
