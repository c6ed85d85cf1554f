"""Searching the content: one interface for both databases, in a fixed number of queries.

``search(query=..., user=...)`` checks the index is current (two queries, ``search.index``),
then asks the engine of the database in use (``search.engines``: PostgreSQL or SQLite FTS5)
for the best matches in one query, whatever the number of lessons. Visitors find published
content only; those who may preview drafts of a kind (``accounts.roles.can_preview_drafts``,
the rule every page with drafts asks) find its drafts too, marked as drafts.
"""

from dataclasses import dataclass, field

from accounts.roles import can_preview_drafts
from lessons.models import Lesson
from matrix.models import DecisionMatrix
from quizzes.models import Quiz

from . import engines, index
from .index import MARK_END, MARK_START
from .models import SearchDocument
from .query import Query

# The most results a page shows.
LIMIT = 30
PREVIEWED = {
    SearchDocument.Kind.LESSON: Lesson,
    SearchDocument.Kind.QUIZ: Quiz,
    SearchDocument.Kind.MATRIX: DecisionMatrix,
}


@dataclass(frozen=True)
class Part:
    """A stretch of text, matched or not: the template escapes it and marks the matches."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class Result:
    title: list[Part]
    heading: list[Part]
    passage: list[Part]
    url: str
    course_title: str
    is_draft: bool


@dataclass
class Group:
    kind: str
    label: str
    results: list[Result] = field(default_factory=list)


@dataclass
class SearchResults:
    query: Query
    total: int  # every match, though at most LIMIT are shown
    groups: list[Group]

    @property
    def shown(self) -> int:
        return sum(len(group.results) for group in self.groups)


def preview_kinds(user) -> frozenset[str]:
    """The kinds of document whose drafts ``user`` may see."""
    return frozenset(kind for kind, model in PREVIEWED.items() if can_preview_drafts(user, model))


def search(*, query: Query, user, limit: int = LIMIT) -> SearchResults:
    """The documents matching ``query`` that ``user`` may see, grouped by kind, the group of
    the best match first and the best first within each group."""
    index.ensure_fresh()
    hits = engines.run(query, preview_kinds=preview_kinds(user), limit=limit)
    groups: dict[str, Group] = {}
    for hit in hits:
        kind = SearchDocument.Kind(hit.kind)
        group = groups.setdefault(hit.kind, Group(kind=hit.kind, label=kind.label))
        group.results.append(
            Result(
                title=marked(hit.title),
                heading=marked(hit.heading),
                passage=marked(hit.passage),
                url=hit.url,
                course_title=hit.course_title,
                is_draft=not hit.is_public,
            )
        )
    total = hits[0].total if hits else 0
    return SearchResults(query=query, total=total, groups=list(groups.values()))


def marked(text: str) -> list[Part]:
    """``text`` with the engine's marks, as parts: matched stretches and the text between.

    A mark left open (a passage cut inside a match) ends with the text; stray marks vanish.
    """
    parts: list[Part] = []
    for at, piece in enumerate((text or "").split(MARK_START)):
        if at == 0:
            inside, after = "", piece
        else:
            inside, _, after = piece.partition(MARK_END)
        inside, after = inside.replace(MARK_END, ""), after.replace(MARK_END, "")
        if inside:
            parts.append(Part(inside, match=True))
        if after:
            parts.append(Part(after))
    return parts
