"""Mastery per objective, read in one query for any number of learners, objectives and answers.

The rule is ``courses.mastery``; this gathers its evidence. One UNION query returns, for the
given courses, every objective of a published lesson (with its lesson, for links) and the
evidence of the given learners: their first answer to each tagged block (answers in words are
not marked, so not evidence) and their responses in their first submitted attempt at each
published quiz, and every answer they gave in ``/review/`` to a tagged block or question (a
``review.ReviewLog`` with source "review"), one row per (answer, objective it tests).

Used by /progress/, the course overview's section (``progress.overview``), the team dashboard
and its CSV, so every page shows the same level.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.urls import reverse

from courses.mastery import Assessment, Evidence, Level, assess, level_counts, practise_first
from lessons.models import Lesson, Objective
from practice.models import BlockAnswer
from quizzes.models import Attempt, Response
from review.models import ReviewLog

PUBLISHED = Lesson.Status.PUBLISHED
# What review.services records for an answer given in /review/ (not in a lesson or quiz).
REVIEW_SOURCE = "review"
OBJECTIVE, BLOCK, QUIZ, REVIEWED_BLOCK, REVIEWED_QUESTION = 0, 1, 2, 3, 4
SOURCES = {
    BLOCK: ("block", "block"),
    QUIZ: ("quiz", "question"),
    REVIEWED_BLOCK: ("review", "block"),
    REVIEWED_QUESTION: ("review", "question"),
}
# Every branch of the union selects these, in this order.
COLUMNS = ("row", "uid", "oid", "cid", "cslug", "okey", "otext", "oorder", "lslug", "ltitle",
           "lorder", "right", "sure", "at", "item")  # fmt: skip


@dataclass(frozen=True)
class ObjectiveInfo:
    """One objective as the pages show it: its text and the lesson that teaches it."""

    pk: int
    key: str
    text: str
    course_id: int
    course_slug: str
    lesson_slug: str
    lesson_title: str
    position: tuple  # lesson order, objective order: the course order

    @property
    def lesson_url(self) -> str:
        return reverse("lessons:detail", kwargs={"course": self.course_slug, "lesson": self.lesson_slug})


# The badge each level wears on the pages (the level's name is always written beside it).
BADGES = {
    Level.NOT_STARTED: "badge-neutral",
    Level.ATTEMPTED: "badge-warn",
    Level.FAMILIAR: "badge-neutral",
    Level.PROFICIENT: "badge-ok",
    Level.MASTERED: "badge-ok",
}


@dataclass(frozen=True)
class ObjectiveLevel:
    objective: ObjectiveInfo
    assessment: Assessment

    @property
    def level(self) -> Level:
        return self.assessment.level

    @property
    def badge(self) -> str:
        return BADGES[self.level]


@dataclass
class CourseMastery:
    """One learner's levels on one course's objectives, in course order."""

    course_id: int
    objectives: list[ObjectiveLevel] = field(default_factory=list)

    @property
    def practise_first(self) -> list[ObjectiveLevel]:
        return practise_first([(item, item.level) for item in self.objectives])

    @property
    def counts(self) -> dict[Level, int]:
        return level_counts(item.level for item in self.objectives)

    @property
    def mastered(self) -> int:
        return self.counts[Level.MASTERED]


NOT_STARTED = assess(())


@dataclass
class MasteryReads:
    objectives: list[ObjectiveInfo]
    evidence: dict[tuple[int, int], list[Evidence]]  # (user id, objective id) -> answers

    def assess(self, user_id: int, objective: ObjectiveInfo) -> Assessment:
        found = self.evidence.get((user_id, objective.pk))
        # Most members have no evidence on most objectives: one shared (immutable) answer.
        return assess(found) if found else NOT_STARTED


def _nulls(**names) -> dict:
    return {name: Value(None, output_field=kind()) for name, kind in names.items()}


def _union(*, user_ids: Sequence[int], course_ids: Sequence[int]):
    in_courses = {"course_id__in": course_ids, "lesson__status": PUBLISHED}
    blank = _nulls(cid=IntegerField, cslug=CharField, okey=CharField, otext=CharField,
                   oorder=IntegerField, lslug=CharField, ltitle=CharField, lorder=IntegerField)  # fmt: skip
    objectives = Objective.objects.filter(**in_courses).annotate(
        row=Value(OBJECTIVE), uid=Value(None, output_field=IntegerField()), oid=F("pk"),
        cid=F("course_id"), cslug=F("course__slug"), okey=F("key"), otext=F("text"),
        oorder=F("order"), lslug=F("lesson__slug"), ltitle=F("lesson__title"),
        lorder=F("lesson__order"),
        **_nulls(right=BooleanField, sure=CharField, at=DateTimeField, item=IntegerField),
    )  # fmt: skip
    tagged = {f"objectives__{name}": value for name, value in in_courses.items()}
    blocks = BlockAnswer.objects.filter(
        user_id__in=user_ids, is_first=True, is_correct__isnull=False,
        **{f"block__{name}": value for name, value in tagged.items()},
    ).annotate(
        row=Value(BLOCK), uid=F("user_id"), oid=F("block__objectives__id"), **blank,
        right=F("is_correct"), sure=F("confidence"), at=F("answered_at"), item=F("block_id"),
    )  # fmt: skip
    first_attempt = (
        Attempt.objects.filter(
            user=OuterRef("attempt__user"), quiz=OuterRef("attempt__quiz"), submitted_at__isnull=False
        )
        .order_by("submitted_at", "pk")
        .values("pk")[:1]
    )
    responses = Response.objects.filter(
        attempt__user_id__in=user_ids, attempt__submitted_at__isnull=False,
        question__quiz__is_published=True, attempt=Subquery(first_attempt),
        **{f"question__{name}": value for name, value in tagged.items()},
    ).annotate(
        row=Value(QUIZ), uid=F("attempt__user_id"), oid=F("question__objectives__id"), **blank,
        right=F("is_correct"), sure=F("confidence"), at=F("attempt__submitted_at"),
        item=F("question_id"),
    )  # fmt: skip
    reviews = [
        ReviewLog.objects.filter(
            source=REVIEW_SOURCE, card__user_id__in=user_ids,
            **{f"card__{kind}__{name}": value for name, value in tagged.items()},
        ).annotate(
            row=Value(row), uid=F("card__user_id"), oid=F(f"card__{kind}__objectives__id"),
            **blank, right=F("is_correct"), sure=F("confidence"), at=F("reviewed_at"),
            item=F(f"card__{kind}_id"),
        )  # fmt: skip
        for kind, row in (("block", REVIEWED_BLOCK), ("question", REVIEWED_QUESTION))
    ]
    branches = [
        qs.order_by().values_list(*COLUMNS) for qs in (objectives, blocks, responses, *reviews)
    ]
    return branches[0].union(*branches[1:], all=True).order_by()


def mastery_reads(*, user_ids: Iterable[int], course_ids: Iterable[int]) -> MasteryReads:
    """The objectives of ``course_ids``' published lessons, in course order, and the users'
    evidence for each. One query whatever the numbers (none when there is nothing to ask)."""
    user_ids, course_ids = list(user_ids), list(course_ids)
    if not course_ids:
        return MasteryReads(objectives=[], evidence={})
    objectives: list[ObjectiveInfo] = []
    evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    # Unpacked in COLUMNS order: tens of thousands of rows for a large team, so no dict per row.
    for (kind, uid, oid, cid, cslug, okey, otext, oorder, lslug, ltitle, lorder, right, sure,
         answered_at, item) in _union(user_ids=user_ids or [0], course_ids=course_ids):  # fmt: skip
        if kind == OBJECTIVE:
            objectives.append(
                ObjectiveInfo(
                    pk=oid, key=okey, text=otext, course_id=cid, course_slug=cslug,
                    lesson_slug=lslug, lesson_title=ltitle, position=(lorder, oorder, oid),
                )  # fmt: skip
            )
        else:
            source, prefix = SOURCES[kind]
            if isinstance(answered_at, str):  # some backends return union datetimes as text
                answered_at = datetime.datetime.fromisoformat(answered_at)
            evidence[(uid, oid)].append(
                Evidence(
                    is_correct=bool(right), confidence=sure or "", answered_at=answered_at,
                    source=source, item=f"{prefix}:{item}",
                )  # fmt: skip
            )
    objectives.sort(key=lambda o: o.position)
    return MasteryReads(objectives=objectives, evidence=dict(evidence))


def learner_mastery(*, user, course_ids: Iterable[int]) -> dict[int, CourseMastery]:
    """Per course id (those with objectives), the learner's level on each objective."""
    reads = mastery_reads(user_ids=[user.pk], course_ids=course_ids)
    courses: dict[int, CourseMastery] = {}
    for objective in reads.objectives:
        course = courses.setdefault(objective.course_id, CourseMastery(course_id=objective.course_id))
        course.objectives.append(ObjectiveLevel(objective, reads.assess(user.pk, objective)))
    return courses


@dataclass(frozen=True)
class TeamObjective:
    """One objective across a team: members per level, and who is below proficient."""

    objective: ObjectiveInfo
    counts: dict[Level, int]
    below_proficient: tuple[int, ...]  # user ids, in the members' order

    @property
    def mastered(self) -> int:
        return self.counts[Level.MASTERED]

    @property
    def members(self) -> int:
        return sum(self.counts.values())


@dataclass
class TeamMastery:
    """Every member's level on every objective of the team's courses, by ids (cacheable)."""

    objectives: list[TeamObjective]
    levels: dict[tuple[int, int], Assessment]  # (user id, objective id)

    def not_mastered(self) -> list[TeamObjective]:
        """Objectives some member has not mastered, fewest mastered first."""
        return sorted(
            (item for item in self.objectives if item.mastered < item.members),
            key=lambda item: (item.mastered / item.members, item.objective.course_id),
        )


def team_mastery(*, user_ids: Sequence[int], course_ids: Sequence[int]) -> TeamMastery:
    """The team's levels per objective (one query); members with no evidence are not started."""
    reads = mastery_reads(user_ids=user_ids, course_ids=course_ids)
    objectives = in_team_order(reads.objectives, course_ids=course_ids)
    return assemble_team_mastery(objectives, assess_members(reads, objectives, user_ids), user_ids=user_ids)


def in_team_order(objectives: Iterable[ObjectiveInfo], *, course_ids: Sequence[int]) -> list[ObjectiveInfo]:
    """``objectives`` by the order of ``course_ids``, then course order within each."""
    position = {course_id: index for index, course_id in enumerate(course_ids)}
    return sorted(objectives, key=lambda o: (position[o.course_id], o.position))


def assess_members(
    reads: MasteryReads, objectives: Sequence[ObjectiveInfo], user_ids: Iterable[int]
) -> dict[int, tuple[Assessment, ...]]:
    """Each member's assessment on each of ``objectives`` (in their order), from ``reads``.

    Equal assessments share one object: a large team's levels repeat a few hundred distinct
    values, so the cached forms (team dashboard, CSV) pickle and load that many, not one per
    member x objective."""
    shared: dict[Assessment, Assessment] = {}
    return {
        user_id: tuple(shared.setdefault(a, a) for a in (reads.assess(user_id, o) for o in objectives))
        for user_id in user_ids
    }


def assemble_team_mastery(
    objectives: Sequence[ObjectiveInfo], assessed: dict[int, tuple[Assessment, ...]], *, user_ids: Sequence[int]
) -> TeamMastery:
    """The team's mastery from each member's assessments on ``objectives`` (``assess_members``)."""
    rows = [assessed[user_id] for user_id in user_ids]
    team_objectives = []
    for index, objective in enumerate(objectives):
        column = [row[index] for row in rows]
        below = tuple(uid for uid, a in zip(user_ids, column, strict=True) if a.below_proficient)
        team_objectives.append(
            TeamObjective(objective=objective, counts=level_counts(a.level for a in column), below_proficient=below)
        )
    levels = {
        (user_id, objective.pk): assessment
        for user_id, row in zip(user_ids, rows, strict=True)
        for objective, assessment in zip(objectives, row, strict=True)
    }
    return TeamMastery(objectives=team_objectives, levels=levels)
