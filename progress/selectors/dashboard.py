"""The team dashboard: who needs attention, what the team misunderstands and what changed this
week first; then the summary, the heatmap, funnels, item analysis, mastery and the matrix.

Team-level figures cover every member and are worked out together, then cached
(``team_cache``) under a key that changes with the members' activity and the team's
assignments; the heatmap covers one page of members. ``team_dashboard`` runs a fixed number of
queries whatever the size of the team (tests/progress/test_queries.py): 13 with the figures
worked out, 5 with them cached (the view adds the session, the user and the team).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Page
from django.utils import timezone

from accounts.models import Membership, Team
from courses.mastery import Level
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from quizzes.models import Quiz

from ..attention import Concern, Reason
from ..glance import (
    ATTENTION_FIRST,
    CellTrouble,
    ObjectiveTrouble,
    WeekFigures,
    attention_order,
    mispredicted_cells,
    misunderstood_objectives,
    week_figures,
)
from ..phrasing import TONES, member_notes
from .analytics import MatrixMap, QuizAnalysis, item_analysis, misconception_maps
from .attention import concerns_by_member
from .course_progress import PUBLISHED, course_progress, published_quizzes
from .mastery import ObjectiveInfo, TeamMastery, team_mastery
from .team import TeamProgress, course_lessons, member_ids, members_page, team_without_progress
from .team_cache import TEAM_AGGREGATES_TIMEOUT, aggregates_key, team_fingerprint
from .week import week_facts

# The dashboard names this many members below proficient per objective (the CSV has all).
NAMED_BELOW_PROFICIENT = 10
# "Show all" lists the members who need attention this many a page.
ATTENTION_PER_PAGE = 50
# A row of the attention list says this many things (the member's page says them all).
NOTES_SHOWN = 3


@dataclass(frozen=True)
class QuizPassShare:
    quiz: Quiz
    passed: int
    members: int

    @property
    def percent(self) -> int:
        return round(100 * self.passed / self.members) if self.members else 0


@dataclass(frozen=True)
class FunnelStep:
    lesson: Lesson
    completed: int


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective not every member has mastered: members per level, the first
    NAMED_BELOW_PROFICIENT members below proficient (user ids, in name order), how many more."""

    objective: ObjectiveInfo
    counts: dict[Level, int]
    below: tuple[int, ...]
    more: int

    @property
    def mastered(self) -> int:
        return self.counts[Level.MASTERED]


@dataclass(frozen=True)
class TeamSummary:
    """Figures over every member, by ids so they can be cached: members who passed each quiz,
    and per course those who completed it, are overdue on it and have it due soon."""

    average_percent: int | None
    completed_courses: int
    has_activity: bool
    passed: dict[int, int]
    completed: dict[int, int] = field(default_factory=dict)
    overdue: dict[int, int] = field(default_factory=dict)
    due_soon: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """One reason a member needs attention, in words: ``label`` ("Overdue") and ``text``."""

    reason: Reason
    text: str

    @property
    def label(self) -> str:
        return self.reason.label

    @property
    def tone(self) -> str:
        return TONES[self.reason]


@dataclass(frozen=True)
class AttentionRow:
    """One member on the dashboard's attention list: their first NOTES_SHOWN notes, and how
    many more their page has."""

    membership: Membership
    notes: list[Note]
    more: int = 0


@dataclass(frozen=True)
class CourseRow:
    """One assigned course on the dashboard: its due date and how the members stand."""

    course: Course
    completed: int
    overdue: int
    due_soon: int


@dataclass
class TeamDashboard:
    """Everything the dashboard shows. ``data.progress`` is filled only when this request
    worked the team's figures out (not cached); the figures over every member are the rest."""

    data: TeamProgress
    lessons: list[Lesson]
    done: set[tuple[int, int]]
    per_lesson: dict[int, int]
    quizzes: list[QuizAnalysis]
    matrices: list[MatrixMap]
    summary: TeamSummary
    objectives: list[ObjectiveRow]
    has_objectives: bool
    attention: list[tuple[int, tuple[Concern, ...]]]
    misunderstood: list[ObjectiveTrouble]
    mispredicted: list[CellTrouble]
    week: WeekFigures
    now: datetime.datetime
    page: Page | None = None
    # What the attention sentences name: each member's best percent on the quizzes they are
    # failing (user id -> quiz id -> percent), and the objectives' texts by id.
    best: dict[int, dict[int, int]] = field(default_factory=dict)
    objective_texts: dict[int, str] = field(default_factory=dict)
    _heatmap_rows: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def page_members(self) -> list[Membership]:
        """The members the per-member parts show: the current page's, or all without a page."""
        return list(self.page.object_list) if self.page is not None else self.data.members

    @property
    def levels(self) -> list[Level]:
        return list(Level)

    @property
    def average_percent(self) -> int | None:
        return self.summary.average_percent

    @property
    def completed_courses(self) -> int:
        return self.summary.completed_courses

    @property
    def possible_completions(self) -> int:
        return len(self.data.members) * len(self.data.courses)

    @property
    def has_activity(self) -> bool:
        return self.summary.has_activity

    @cached_property
    def quiz_list(self) -> list[Quiz]:
        return [quiz for course in self.data.courses for quiz in published_quizzes(course)]

    @cached_property
    def quiz_shares(self) -> list[QuizPassShare]:
        members = len(self.data.members)
        return [
            QuizPassShare(quiz=quiz, passed=self.summary.passed.get(quiz.pk, 0), members=members)
            for quiz in self.quiz_list
        ]

    @cached_property
    def funnels(self) -> list[tuple[Course, list[FunnelStep]]]:
        funnels = []
        for course in self.data.courses:
            steps = [
                FunnelStep(lesson=lesson, completed=self.per_lesson.get(lesson.pk, 0))
                for lesson in self.lessons
                if lesson.course_id == course.pk
            ]
            if steps:
                funnels.append((course, steps))
        return funnels

    def course_rows(self) -> list[CourseRow]:
        summary = self.summary
        return [
            CourseRow(course, summary.completed.get(course.pk, 0), summary.overdue.get(course.pk, 0),
                      summary.due_soon.get(course.pk, 0))  # fmt: skip
            for course in self.data.courses
        ]

    def _rows(self, entries) -> list[AttentionRow]:
        by_user = {membership.user_id: membership for membership in self.data.members}
        courses = {course.pk: course.title for course in self.data.courses}
        quizzes = {quiz.pk: (quiz.title, quiz.pass_percent) for quiz in self.quiz_list}
        today = timezone.localdate(self.now)
        rows = []
        for user_id, concerns in entries:
            if user_id not in by_user:  # left the team since the figures were worked out
                continue
            notes = member_notes(concerns, courses=courses, quizzes=quizzes, best=self.best.get(user_id, {}),
                                 objectives=self.objective_texts, today=today, brief=True)  # fmt: skip
            shown = [Note(reason, text) for reason, text in notes[:NOTES_SHOWN]]
            rows.append(AttentionRow(by_user[user_id], shown, more=max(0, len(notes) - NOTES_SHOWN)))
        return rows

    def first_attention(self) -> list[AttentionRow]:
        """The first ATTENTION_FIRST members who need attention, most pressing first."""
        return self._rows(self.attention[:ATTENTION_FIRST])

    def attention_page(self, number) -> tuple[Page, list[AttentionRow]]:
        """Page ``number`` of everyone who needs attention (a bad number gives page 1)."""
        page = members_page(self.attention, number, per_page=ATTENTION_PER_PAGE)
        return page, self._rows(page.object_list)

    def finished_this_week(self) -> list[tuple[Membership, Course]]:
        """Who finished which course this week, in the order they finished."""
        by_user = {membership.user_id: membership for membership in self.data.members}
        by_course = {course.pk: course for course in self.data.courses}
        return [
            (by_user[user_id], by_course[course_id])
            for user_id, course_id in self.week.finished
            if user_id in by_user and course_id in by_course
        ]

    def objectives_to_work_on(self) -> list[tuple[ObjectiveRow, list[Membership], int]]:
        """Objectives not mastered by every member, fewest mastered first, with the first
        NAMED_BELOW_PROFICIENT members below proficient and how many more there are."""
        by_user = {membership.user_id: membership for membership in self.data.members}
        return [
            (row, [by_user[uid] for uid in row.below if uid in by_user], row.more)
            for row in self.objectives
        ]

    def page_links(self) -> list:
        """Page numbers for the pager, with Paginator.ELLIPSIS where a long run is left out."""
        if self.page is None:
            return []
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))

    def numbered_lessons(self) -> list[tuple[str, Lesson]]:
        """Lessons with a label "course.lesson" by position, e.g. "2.3"."""
        course_number = {course.pk: n for n, course in enumerate(self.data.courses, start=1)}
        seen: Counter = Counter()
        labelled = []
        for lesson in self.lessons:
            seen[lesson.course_id] += 1
            labelled.append((f"{course_number[lesson.course_id]}.{seen[lesson.course_id]}", lesson))
        return labelled

    def heatmap_rows(self) -> list[tuple[Membership, list[bool]]]:
        """The current page's members with a done flag per lesson (all members without a page)."""
        # Read by the chart and by its table: worked out once.
        if self._heatmap_rows is None:
            self._heatmap_rows = [
                (m, [(m.user_id, lesson.pk) in self.done for lesson in self.lessons])
                for m in self.page_members
            ]
        return self._heatmap_rows


def team_summary(*, data: TeamProgress, quizzes, concerns: dict[int, list[Concern]]) -> TeamSummary:
    """The summary from ``data`` with its progress (``team_progress``) and the concerns."""
    rows = [progress for _, _, progress in data.rows()]
    passed = {
        quiz.pk: sum(
            1
            for m in data.members
            if (result := data.progress[(m.user_id, quiz.course_id)].quiz_results.get(quiz.pk))
            and result.passed
        )
        for quiz in quizzes
    }
    flagged = [concern for found in concerns.values() for concern in found]
    return TeamSummary(
        average_percent=round(sum(p.percent for p in rows) / len(rows)) if rows else None,
        completed_courses=sum(1 for p in rows if p.complete),
        has_activity=any(p.started for p in rows),
        passed=passed,
        completed=dict(Counter(p.course.pk for p in rows if p.complete)),
        overdue=dict(Counter(c.course_id for c in flagged if c.reason is Reason.OVERDUE)),
        due_soon=dict(Counter(c.course_id for c in flagged if c.reason is Reason.DUE_SOON)),
    )


def objective_rows(mastery: TeamMastery, *, members: list[int]) -> list[ObjectiveRow]:
    """The objectives some member has not mastered, fewest mastered first (``TeamMastery``)."""
    position = {user_id: index for index, user_id in enumerate(members)}
    rows = []
    for item in mastery.not_mastered():
        below = sorted((uid for uid in item.below_proficient if uid in position), key=position.get)
        rows.append(ObjectiveRow(item.objective, item.counts, tuple(below[:NAMED_BELOW_PROFICIENT]),
                                 max(0, len(below) - NAMED_BELOW_PROFICIENT)))  # fmt: skip
    return rows


def cell_troubles(matrices: list[MatrixMap]) -> list[CellTrouble]:
    return [
        CellTrouble(matrix.title, matrix.rows[cell.cell.row_id], matrix.columns[cell.cell.column_id],
                    cell.predicted, cell.predicted - cell.right, cell.confidently_wrong)  # fmt: skip
        for matrix in matrices
        for cell in matrix.cells.values()
        if cell.predicted
    ]


def _aggregates(*, data: TeamProgress, lessons, quizzes, done, now) -> dict:
    """Every figure over every member (eight queries): what the dashboard caches."""
    user_ids = [m.user_id for m in data.members]
    course_ids = [course.pk for course in data.courses]
    data.progress = course_progress(user_ids=user_ids, courses=data.courses)
    mastery = team_mastery(user_ids=user_ids, course_ids=course_ids)
    concerns = concerns_by_member(data=data, assignments=data.assignments(), now=now, mastery=mastery)
    attention = attention_order(concerns, order=user_ids)
    best: dict[int, dict[int, int]] = {}
    for uid, found in attention:
        for c in found:
            if c.reason is Reason.FAILING_QUIZ:
                result = data.progress[(uid, c.course_id)].quiz_results[c.subject_id]
                best.setdefault(uid, {})[c.subject_id] = result.best_percent
    matrices = misconception_maps(user_ids=user_ids)
    week = week_figures(
        week_facts(team=data.team, course_ids=course_ids, now=now),
        now=now,
        joined={m.user_id: m.joined_at for m in data.members},
        complete=[(p.user_id, p.course.pk) for _, _, p in data.rows() if p.complete],
        quiz_courses={quiz.pk: quiz.course_id for quiz in quizzes},
    )
    return {
        "per_lesson": dict(Counter(lesson_id for _, lesson_id in done)),
        "quizzes": item_analysis(quizzes=quizzes, user_ids=user_ids),
        "matrices": matrices,
        "objectives": objective_rows(mastery, members=user_ids),
        "has_objectives": bool(mastery.objectives),
        "objective_texts": {item.objective.pk: item.objective.text for item in mastery.objectives},
        # As of when they were worked out: at most TEAM_AGGREGATES_TIMEOUT old, against
        # thresholds of days.
        "summary": team_summary(data=data, quizzes=quizzes, concerns=concerns),
        "attention": attention,
        "best": best,
        "misunderstood": misunderstood_objectives(
            [item.objective for item in mastery.objectives], mastery.levels, user_ids=user_ids
        ),
        "mispredicted": mispredicted_cells(cell_troubles(matrices)),
        "week": week,
    }


def team_dashboard(
    *,
    team: Team,
    course_slug: str | None = None,
    page_number=None,
    now: datetime.datetime | None = None,
) -> TeamDashboard:
    """Everything the team dashboard shows, in a fixed number of queries: the members, the
    courses (with lessons, quizzes and assignments), the fingerprint, completions, and with
    the figures not cached the eight reads behind them."""
    now = now or timezone.now()
    data = team_without_progress(team=team, course_slug=course_slug)
    lessons = [lesson for course in data.courses for lesson in course_lessons(course)]
    quizzes = [quiz for course in data.courses for quiz in published_quizzes(course)]
    page = members_page(data.members, page_number)
    key = aggregates_key(
        team=team, fingerprint=team_fingerprint(team), courses=data.courses, lessons=lessons,
        quizzes=quizzes,
    )
    aggregates = cache.get(key)
    # Without the cached figures every member's completions are read for the funnels; with
    # them, only the page's members', for the heatmap.
    done_for = (
        member_ids(team) if aggregates is None else [m.user_id for m in page.object_list]
    )
    done = set(
        LessonCompletion.objects.filter(
            user_id__in=done_for, lesson__course_id__in=[c.pk for c in data.courses],
            lesson__status=PUBLISHED,
        ).values_list("user_id", "lesson_id")
    )  # fmt: skip
    if aggregates is None:
        aggregates = _aggregates(data=data, lessons=lessons, quizzes=quizzes, done=done, now=now)
        cache.set(key, aggregates, TEAM_AGGREGATES_TIMEOUT)
    return TeamDashboard(data=data, lessons=lessons, done=done, now=now, page=page, **aggregates)
