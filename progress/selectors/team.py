"""A team's progress and its dashboard: members, summary, funnels, the stuck list, the heatmap.

Team-level figures cover every member and are cached (``team_cache``); the per-member parts
cover one page of members. Each function runs a fixed number of queries whatever the size of
the team (tests/progress/test_queries.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.utils import timezone

from accounts.models import Membership, Team
from courses.mastery import Level
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from quizzes.models import Quiz

from .analytics import MatrixMap, QuizAnalysis, item_analysis, misconception_maps
from .course_progress import (
    PUBLISHED,
    CourseProgress,
    course_progress,
    published_quizzes,
    with_quiz_list,
    with_totals,
)
from .mastery import TeamMastery, TeamObjective, team_mastery
from .team_cache import TEAM_AGGREGATES_TIMEOUT, aggregates_key, team_fingerprint

# A member is "stuck" with an unfinished course and nothing done for this long.
STUCK_AFTER_DAYS = 14
# The team dashboard's per-member parts (the heatmap and its table) show this many members a
# page; the team-level figures cover every member.
MEMBERS_PER_PAGE = 50
# The dashboard names this many members below proficient per objective (the CSV has all).
NAMED_BELOW_PROFICIENT = 10


@dataclass
class TeamProgress:
    """A team's members (role "member"; managers are not counted) in its assigned courses."""

    team: Team
    members: list[Membership]
    courses: list[Course]
    progress: dict[tuple[int, int], CourseProgress]
    all_courses: list[Course] = field(default_factory=list)

    def rows(self):
        """(membership, course, progress) for every member x course, members by username."""
        for membership in self.members:
            for course in self.courses:
                yield membership, course, self.progress[(membership.user_id, course.pk)]


def team_progress(*, team: Team, course_slug: str | None = None) -> TeamProgress:
    """The team's members and their progress in its published assigned courses (or one)."""
    data = _team_without_progress(team=team, course_slug=course_slug)
    data.progress = course_progress(user_ids=[m.user_id for m in data.members], courses=data.courses)
    return data


def _team_without_progress(*, team: Team, course_slug: str | None) -> TeamProgress:
    members = list(
        team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("user__profile")
        .order_by("user__username")
    )
    all_courses = list(
        with_quiz_list(with_totals(team.courses.filter(is_published=True))).order_by("order", "title")
    )
    courses = [c for c in all_courses if c.slug == course_slug] if course_slug else all_courses
    return TeamProgress(team=team, members=members, courses=courses, progress={}, all_courses=all_courses)


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
class StuckMember:
    """``last_activity`` is the day they joined when they never started (``started`` False)."""

    membership: Membership
    unfinished: list[Course]
    last_activity: datetime.datetime
    started: bool


@dataclass(frozen=True)
class TeamSummary:
    """The figures over every member that the dashboard shows, by ids so they can be cached.

    ``passed``: members who passed, by quiz id; ``stuck``: (user id, unfinished course ids,
    last activity, started) longest inactive first.
    """

    average_percent: int | None
    completed_courses: int
    has_activity: bool
    passed: dict[int, int]
    stuck: list[tuple[int, list[int], datetime.datetime, bool]]


def team_summary(*, data: TeamProgress, quizzes: Sequence[Quiz], now: datetime.datetime) -> TeamSummary:
    """Work out the summary from ``data`` with its progress (``team_progress``)."""
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
    stuck = []
    threshold = now - datetime.timedelta(days=STUCK_AFTER_DAYS)
    for membership in data.members:
        mine = [data.progress[(membership.user_id, course.pk)] for course in data.courses]
        unfinished = [p.course.pk for p in mine if not p.complete]
        last = max([membership.joined_at, *(p.last_activity for p in mine if p.last_activity)])
        if unfinished and last < threshold:
            stuck.append((membership.user_id, unfinished, last, any(p.started for p in mine)))
    stuck.sort(key=lambda item: item[2])
    return TeamSummary(
        average_percent=round(sum(p.percent for p in rows) / len(rows)) if rows else None,
        completed_courses=sum(1 for p in rows if p.complete),
        has_activity=any(p.started for p in rows),
        passed=passed,
        stuck=stuck,
    )


@dataclass
class TeamDashboard:
    """``data.progress`` is filled only when the team's aggregates were worked out by this
    request (not cached); the figures over every member are in ``summary``."""

    data: TeamProgress
    lessons: list[Lesson]
    done: set[tuple[int, int]]
    quiz_shares: list[QuizPassShare]
    funnels: list[tuple[Course, list[FunnelStep]]]
    stuck: list[StuckMember]
    quizzes: list[QuizAnalysis]
    matrices: list[MatrixMap]
    summary: TeamSummary
    mastery: TeamMastery | None = None
    page: Page | None = None
    _heatmap_rows: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def page_members(self) -> list[Membership]:
        """The members the per-member parts show: the current page's, or all without a page."""
        return list(self.page.object_list) if self.page is not None else self.data.members

    @property
    def levels(self) -> list[Level]:
        return list(Level)

    def objectives_to_work_on(self) -> list[tuple[TeamObjective, list[Membership], int]]:
        """Objectives not mastered by every member, fewest mastered first, each with the first
        NAMED_BELOW_PROFICIENT members below proficient and how many more there are."""
        if self.mastery is None:
            return []
        by_user = {membership.user_id: membership for membership in self.data.members}
        rows = []
        for item in self.mastery.not_mastered():
            below = [by_user[user_id] for user_id in item.below_proficient if user_id in by_user]
            rows.append((item, below[:NAMED_BELOW_PROFICIENT], max(0, len(below) - NAMED_BELOW_PROFICIENT)))
        return rows

    def page_links(self) -> list:
        """Page numbers for the pager, with Paginator.ELLIPSIS where a long run is left out."""
        if self.page is None:
            return []
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))

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


def members_page(members: Sequence[Membership], number) -> Page:
    """Page ``number`` of the members, MEMBERS_PER_PAGE a page, in their order.

    Any bad number (missing, not a whole number, below 1 or past the last page) gives page 1,
    so a stale or hand-edited link still shows the dashboard. No query: ``members`` is a list.
    """
    paginator = Paginator(members, MEMBERS_PER_PAGE)
    try:
        return paginator.page(number)
    except (InvalidPage, OverflowError):
        return paginator.page(1)


def team_dashboard(
    *,
    team: Team,
    course_slug: str | None = None,
    page_number=None,
    now: datetime.datetime | None = None,
) -> TeamDashboard:
    """Everything the team dashboard shows, in a fixed number of queries.

    Team-level figures (summary, quiz shares, funnels, stuck list, item analysis, misconception
    maps, mastery per objective) cover every member; the heatmap and its table cover page ``page_number`` of them.
    """
    now = now or timezone.now()
    data = _team_without_progress(team=team, course_slug=course_slug)
    user_ids = [m.user_id for m in data.members]
    course_ids = [course.pk for course in data.courses]
    position = {course.pk: index for index, course in enumerate(data.courses)}
    lessons = sorted(
        Lesson.objects.filter(course_id__in=course_ids, status=PUBLISHED).order_by("order", "pk"),
        key=lambda lesson: position[lesson.course_id],
    )
    quizzes = [quiz for course in data.courses for quiz in published_quizzes(course)]
    page = members_page(data.members, page_number)
    key = aggregates_key(
        team=team, fingerprint=team_fingerprint(team), courses=data.courses, lessons=lessons,
        quizzes=quizzes,
    )
    aggregates = cache.get(key)
    # Without the cached counts every member's completions are read for the funnels; with
    # them, only the page's members', for the heatmap.
    done_for = user_ids if aggregates is None else [m.user_id for m in page.object_list]
    done = set(
        LessonCompletion.objects.filter(
            user_id__in=done_for, lesson__course_id__in=course_ids, lesson__status=PUBLISHED
        ).values_list("user_id", "lesson_id")
    )
    if aggregates is None:
        data.progress = course_progress(user_ids=user_ids, courses=data.courses)
        aggregates = {
            "per_lesson": dict(Counter(lesson_id for _, lesson_id in done)),
            "quizzes": item_analysis(quizzes=quizzes, user_ids=user_ids),
            "matrices": misconception_maps(user_ids=user_ids),
            "mastery": team_mastery(user_ids=user_ids, course_ids=course_ids),
            # The stuck list is as of when it was worked out: at most TEAM_AGGREGATES_TIMEOUT
            # old, against a threshold of days.
            "summary": team_summary(data=data, quizzes=quizzes, now=now),
        }
        cache.set(key, aggregates, TEAM_AGGREGATES_TIMEOUT)
    summary = aggregates["summary"]

    per_lesson = Counter(aggregates["per_lesson"])
    funnels = []
    for course in data.courses:
        steps = [
            FunnelStep(lesson=lesson, completed=per_lesson[lesson.pk])
            for lesson in lessons
            if lesson.course_id == course.pk
        ]
        if steps:
            funnels.append((course, steps))

    quiz_shares = [
        QuizPassShare(quiz=quiz, passed=summary.passed.get(quiz.pk, 0), members=len(data.members))
        for quiz in quizzes
    ]
    by_user = {membership.user_id: membership for membership in data.members}
    by_course = {course.pk: course for course in data.courses}
    stuck = [
        StuckMember(
            membership=by_user[user_id],
            unfinished=[by_course[course_id] for course_id in unfinished],
            last_activity=last,
            started=started,
        )
        for user_id, unfinished, last, started in summary.stuck
    ]

    return TeamDashboard(
        data=data,
        lessons=lessons,
        done=done,
        quiz_shares=quiz_shares,
        funnels=funnels,
        stuck=stuck,
        quizzes=aggregates["quizzes"],
        matrices=aggregates["matrices"],
        summary=summary,
        mastery=aggregates["mastery"],
        page=page,
    )
