"""search/index.py: which documents the content makes, and when the index is rebuilt."""

import pytest

from lessons.models import Lesson
from matrix.models import MatrixCell
from quizzes.models import Quiz
from search import index
from search.index import MARK_START, lesson_sections, text_of
from search.models import IndexState, SearchDocument
from tests.factories import add_question, make_course, make_lesson, make_matrix, make_quiz

pytestmark = pytest.mark.django_db


def test_text_of_drops_tags_embeds_entities_and_marks():
    html = (
        f"<p>Fine&amp;tuning <strong>pays</strong>{MARK_START}</p>\n<p>[[matrix:base-strength]]</p>"
    )
    assert text_of(html) == "Fine&tuning pays"


def test_a_lesson_is_split_at_its_headings_with_their_anchors():
    html = '<p>Intro.</p><h2 id="md-one">One</h2><p>First.</p><h3 id="md-two">Two <em>b</em></h3><p>Second.</p>'
    assert list(lesson_sections(html)) == [
        ("", "", "Intro."),
        ("md-one", "One", "First."),
        ("md-two", "Two b", "Second."),
    ]


def test_lesson_sections_link_to_their_anchor():
    course = make_course(slug="docs")
    make_lesson(
        course=course, slug="fmt", title="Format", body="Intro.\n\n## Why it matters\n\nBecause."
    )
    index.rebuild()
    urls = set(SearchDocument.objects.values_list("url", flat=True))
    assert urls == {"/courses/docs/fmt/", "/courses/docs/fmt/#md-why-it-matters"}


def test_drafts_and_lessons_of_unpublished_courses_are_indexed_as_not_public():
    public = make_course(slug="open")
    hidden = make_course(slug="shut", published=False)
    make_lesson(course=public, slug="a", body="Alpha.")
    make_lesson(course=public, slug="b", body="Beta.", status=Lesson.Status.DRAFT)
    make_lesson(course=hidden, slug="c", body="Gamma.")
    index.rebuild()
    flags = dict(SearchDocument.objects.values_list("body", "is_public"))
    assert flags == {"Alpha.": True, "Beta.": False, "Gamma.": False}


def test_quiz_prompts_are_indexed_but_never_explanations_or_feedback():
    quiz = make_quiz(course=make_course(), questions=0)
    add_question(quiz=quiz, kind="single", number=1)
    index.rebuild()
    text = " ".join(SearchDocument.objects.values_list("body", flat=True))
    assert "Prompt 1" in text
    assert "EXPLANATION" not in text and "FEEDBACK" not in text


def test_a_matrix_row_holds_every_columns_verdict_and_why():
    make_matrix(rows=("Regulatory audit",), columns=("Weak base", "Strong base"))
    index.rebuild()
    row = SearchDocument.objects.get(heading="Regulatory audit")
    assert row.kind == "matrix" and row.url == "/matrix/base-strength/"
    assert row.body == "Weak base: Fine-tune wins. Why. Strong base: Fine-tune wins. Why."


def test_an_edit_is_found_by_the_next_search():
    course = make_course()
    lesson = make_lesson(course=course, body="Before.")
    index.ensure_fresh()
    lesson.body = "After."
    lesson.save()
    index.ensure_fresh()
    assert list(SearchDocument.objects.values_list("body", flat=True)) == ["After."]


def test_a_bulk_unpublish_is_found_by_the_next_search():
    quiz = make_quiz(course=make_course(), questions=1)
    index.ensure_fresh()
    assert SearchDocument.objects.filter(is_public=True).exists()
    # As the admin's "Unpublish" action does: update() with a new updated_at.
    from django.utils import timezone

    Quiz.objects.filter(pk=quiz.pk).update(is_published=False, updated_at=timezone.now())
    index.ensure_fresh()
    assert not SearchDocument.objects.filter(is_public=True).exists()


def test_a_changed_matrix_cell_is_found_by_the_next_search():
    cell = make_matrix(rows=("Output format",), columns=("Weak",))[0]
    index.ensure_fresh()
    cell = MatrixCell.objects.get(pk=cell.pk)
    cell.explanation = "Templates decide."
    cell.save()  # touches the matrix (matrix.signals), which moves the content version
    index.ensure_fresh()
    assert "Templates decide." in SearchDocument.objects.get(heading="Output format").body


def test_a_fresh_index_costs_two_queries(django_assert_num_queries):
    make_lesson(course=make_course())
    index.ensure_fresh()
    with django_assert_num_queries(2):
        index.ensure_fresh()


def test_a_rebuild_for_a_version_already_built_does_nothing(django_assert_num_queries):
    make_lesson(course=make_course())
    index.ensure_fresh()
    version = IndexState.objects.get().content_version
    with django_assert_num_queries(4):  # savepoint, the locked state, the count, release
        assert index.rebuild(version=version) == 1


# Last: the shipped content stays loaded for the rest of the module.
def test_load_content_builds_the_index(shipped):
    assert IndexState.objects.get().content_version == index.content_version()
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {"lesson", "quiz", "matrix"}
    assert SearchDocument.objects.count() > 100
