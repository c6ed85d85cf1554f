"""The team dashboard: who needs attention, what the team misunderstands and what changed this
week first; then the summary, the heatmap, funnels, item analysis, mastery and the matrix.

The figures over every member are worked out in four parts (progress, mastery, item analysis,
the matrix), each cached under its own key (``team_cache``), so new activity redoes only the
parts it touches; who needs attention merges the progress and mastery parts and is cached
too. With everything cached a request reads the courses, the fingerprint, the members it names
(the heatmap's page, the people on the attention list and below proficient) and their
completions: a fixed number of queries, and work that does not grow with the team. Worked out,
every part costs a fixed number of queries too (tests/progress/test_queries.py).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.utils import timezone

from accounts.models import Membership, Team
from core.after_response import after_response
from courses.mastery import Level
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from quizzes.models import Quiz

from ..attention import Concern, Reason
from ..glance import ATTENTION_FIRST, CellTrouble, ObjectiveTrouble, WeekFigures
from ..phrasing import TONES, member_notes
from .analytics import MatrixMap, QuizAnalysis
from .course_progress import PUBLISHED, published_quizzes
from .team import (
    MEMBERS_PER_PAGE,
    TeamProgress,
    assigned_courses,
    course_lessons,
    team_members,
)
from .team_cache import TEAM_FIGURES_KEPT, find_parts, part_keys, pointer_keys, team_fingerprint
from .team_figures import (
    ObjectiveRow,
    TeamSummary,
    items_part,
    mastery_part,
    matrices_part,
    merged_attention,
    progress_part,
    unpack,
)

# "Show all" lists the members who need attention this many a page.
ATTENTION_PER_PAGE = 50
# A team's figures are worked out after a response at most once in this long, unless done.
REFRESH_LOCK_SECONDS = 2 * 60
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
    certificates: int = 0


@dataclass
class TeamDashboard:
    """Everything the dashboard shows.

    ``data.members`` holds every member when this request worked figures out, otherwise only
    the members the page names (``members_by_user``); ``member_count`` is always the team's.
    ``data.progress`` is filled only when this request worked the progress figures out.
    """

    data: TeamProgress
    member_count: int
    lessons: list[Lesson]
    done: set[tuple[int, int]]
    per_lesson: dict[int, int]
    quizzes: list[QuizAnalysis]
    matrices: list[MatrixMap]
    summary: TeamSummary
    objectives: list[ObjectiveRow]
    has_objectives: bool
    misunderstood: list[ObjectiveTrouble]
    mispredicted: list[CellTrouble]
    week: WeekFigures
    now: datetime.datetime
    page: Page
    attention_count: int
    attention_cache: AttentionCache
    attention_rows: list[AttentionRow] = field(default_factory=list)
    attention_paging: Page | None = None
    members_by_user: dict[int, Membership] = field(default_factory=dict)
    # Each member's best percent on the quizzes they are failing (user id -> quiz id ->
    # percent), and the objectives' texts by id: what the attention sentences name.
    best: dict[int, dict[int, int]] = field(default_factory=dict)
    objective_texts: dict[int, str] = field(default_factory=dict)
    # The cache key of each part: the template caches the sections drawn from one part alone
    # (item analysis, the matrix) under it.
    keys: dict[str, str] = field(default_factory=dict)
    # When the oldest figures shown were worked out, if the team's activity has moved on
    # since (``team_cache.find_parts``); None when they are current.
    figures_as_of: datetime.datetime | None = None
    _heatmap_rows: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def attention(self) -> list[tuple[int, list[Concern]]]:
        """Everyone who needs attention with their concerns, most pressing first (read whole
        from the cache: the page itself reads only what it shows)."""
        flagged = self.attention_cache.everyone(self.attention_count)
        return [(user_id, [unpack(c) for c in found]) for user_id, found in flagged]

    @property
    def page_members(self) -> list[Membership]:
        return list(self.page.object_list)

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
        return self.member_count * len(self.data.courses)

    @property
    def has_activity(self) -> bool:
        return self.summary.has_activity

    @cached_property
    def quiz_list(self) -> list[Quiz]:
        return [quiz for course in self.data.courses for quiz in published_quizzes(course)]

    @cached_property
    def quiz_shares(self) -> list[QuizPassShare]:
        return [
            QuizPassShare(quiz=quiz, passed=self.summary.passed.get(quiz.pk, 0), members=self.member_count)
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
                      summary.due_soon.get(course.pk, 0), summary.certificates.get(course.pk, 0))  # fmt: skip
            for course in self.data.courses
        ]

    def finished_this_week(self) -> list[tuple[Membership, Course]]:
        """Who finished which course this week, in the order they finished."""
        by_course = {course.pk: course for course in self.data.courses}
        return [
            (self.members_by_user[user_id], by_course[course_id])
            for user_id, course_id in self.week.finished
            if user_id in self.members_by_user and course_id in by_course
        ]

    def objectives_to_work_on(self) -> list[tuple[ObjectiveRow, list[Membership], int]]:
        """Objectives not mastered by every member, fewest mastered first, with the first
        NAMED_BELOW_PROFICIENT members below proficient and how many more there are."""
        by_user = self.members_by_user
        return [(row, [by_user[uid] for uid in row.below if uid in by_user], row.more) for row in self.objectives]

    def page_links(self) -> list:
        """Page numbers for the pager, with Paginator.ELLIPSIS where a long run is left out."""
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
        """The current page's members with a done flag per lesson."""
        # Read by the chart and by its table: worked out once.
        if self._heatmap_rows is None:
            self._heatmap_rows = [
                (m, [(m.user_id, lesson.pk) in self.done for lesson in self.lessons])
                for m in self.page_members
            ]
        return self._heatmap_rows


class _Counted:
    """A sequence of ``count`` members of which only one page was read (for the Paginator)."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self):
        return self.count


def _pages(count: int, number, per_page: int) -> tuple[Paginator, int]:
    """The paginator for ``count`` items and the page ``number`` names (1 when it names none)."""
    paginator = Paginator(_Counted(count), per_page)
    try:
        return paginator, paginator.validate_number(number)
    except (InvalidPage, OverflowError):  # missing, not a number, out of range: page 1
        return paginator, 1


def _chunk_number(attention_page) -> int:
    """Which chunk of the attention list a page asks for (0 for the first screen, or for a
    page that names none: ``_pages`` decides once the count is known)."""
    try:
        return max(0, int(attention_page) - 1) if attention_page is not None else 0
    except (TypeError, ValueError, OverflowError):
        return 0


def team_dashboard(
    *,
    team: Team,
    course_slug: str | None = None,
    page_number=None,
    attention_page=None,
    now: datetime.datetime | None = None,
    serve_stale: bool | None = None,
) -> TeamDashboard:
    """Everything the team dashboard shows, in a fixed number of queries.

    ``page_number``: the heatmap's page of members; ``attention_page``: None for the first
    screen's most pressing few, else the page of everyone who needs attention to list;
    ``serve_stale``: whether figures from before the team's latest activity may be shown while
    newer ones are worked out after the response (``settings.TEAM_FIGURES_SERVE_STALE``).
    """
    now = now or timezone.now()
    all_courses = list(assigned_courses(team))
    courses = [c for c in all_courses if c.slug == course_slug] if course_slug else all_courses
    lessons = [lesson for course in courses for lesson in course_lessons(course)]
    quizzes = [quiz for course in courses for quiz in published_quizzes(course)]
    course_ids = [course.pk for course in courses]
    fingerprint = team_fingerprint(team)
    covered = {"courses": courses, "lessons": lessons, "quizzes": quizzes}
    pointers = pointer_keys(team=team, **covered)
    if serve_stale is None:
        serve_stale = settings.TEAM_FIGURES_SERVE_STALE
    keys, parts, stale = find_parts(keys=part_keys(team=team, fingerprint=fingerprint, **covered),
                                    pointers=pointers, now=now, serve_stale=serve_stale)  # fmt: skip
    if stale:
        refresh_after_response(team=team, course_slug=course_slug, fingerprint=fingerprint)
    attention = AttentionCache(team, keys)
    chunk = _chunk_number(attention_page)
    found = cache.get_many([attention.count_key, attention.chunk_key(chunk)])
    count = found.get(attention.count_key)
    rebuild = count is None or (count > chunk * ATTENTION_PER_PAGE and attention.chunk_key(chunk) not in found)
    concerns: dict[str, dict] = {}
    if rebuild:
        # Who needs attention is merged from the progress and mastery parts' concerns, kept
        # apart from them; a part whose concerns are gone is worked out again.
        wanted = {name: f"{keys[name]}:concerns" for name in ("progress", "mastery") if name in parts}
        kept = cache.get_many(list(wanted.values()))
        for name, key in wanted.items():
            if key in kept:
                concerns[name] = kept[key]
            else:
                del parts[name]

    members = None
    done: set[tuple[int, int]] = set()
    read_every_completion = "progress" not in parts  # for the funnels, worked out below
    if len(parts) < len(keys):
        # Some part must be worked out: it needs every member.
        members = list(team_members(team))
        data = TeamProgress(team=team, members=members, courses=courses, progress={}, all_courses=all_courses)
        if read_every_completion:
            done = set(
                LessonCompletion.objects.filter(
                    user_id__in=[m.user_id for m in members], lesson__course_id__in=course_ids,
                    lesson__status=PUBLISHED,
                ).values_list("user_id", "lesson_id")
            )  # fmt: skip
        builders = {
            "progress": lambda: progress_part(data=data, quizzes=quizzes, done=done, now=now),
            "mastery": lambda: mastery_part(data=data, now=now),
            "items": lambda: items_part(data=data, quizzes=quizzes),
            "matrices": lambda: matrices_part(data=data),
        }
        fresh = {}
        for name, build in builders.items():
            if name not in parts:
                parts[name], apart = build()
                fresh[keys[name]] = parts[name]
                fresh[pointers[name]] = {"key": keys[name], "at": now}
                if apart is not None:
                    concerns[name] = fresh[f"{keys[name]}:concerns"] = apart
        cache.set_many(fresh, TEAM_FIGURES_KEPT)
        member_count = len(members)
        if "progress" in concerns and "mastery" in concerns:
            rebuild = True  # the parts changed: so may who needs attention
    else:
        data = TeamProgress(team=team, members=[], courses=courses, progress={}, all_courses=all_courses)
        member_count = fingerprint.members
    if rebuild:
        flagged = merged_attention(concerns["progress"], concerns["mastery"], order=parts["progress"]["order"])
        attention.store(flagged)
        count = len(flagged)

    # Who the page names: the heatmap's page, the attention rows shown, who finished this
    # week, and those named below proficient.
    paginator, number = _pages(member_count, page_number, MEMBERS_PER_PAGE)
    attention_paging = None
    if attention_page is None:
        shown = attention.chunk(0, found if not rebuild else None)[:ATTENTION_FIRST]
    else:
        attention_paginator, attention_number = _pages(count, attention_page, ATTENTION_PER_PAGE)
        shown = attention.chunk(attention_number - 1, found if not rebuild else None)
        attention_paging = Page(shown, attention_number, attention_paginator)
    named = {uid for uid, _ in shown}
    named |= {uid for uid, _ in parts["progress"]["week"].finished}
    named |= {uid for row in parts["mastery"]["objectives"] for uid in row.below}
    offset = (number - 1) * MEMBERS_PER_PAGE
    if members is not None:
        on_page = members[offset : offset + MEMBERS_PER_PAGE]
        by_user = {m.user_id: m for m in members}
    else:
        # The page's members by the name order kept with the progress figures: no sorting of
        # every member per request (a name changed since shows at once, its new place when
        # the figures are next worked out).
        page_ids = parts["progress"]["order"][offset : offset + MEMBERS_PER_PAGE]
        by_user = {m.user_id: m for m in team_members(team).filter(user_id__in=named.union(page_ids))}
        on_page = [by_user[uid] for uid in page_ids if uid in by_user]
        data.members = list(by_user.values())
    page = Page(on_page, number, paginator)
    if not read_every_completion:  # the heatmap needs the page's members' completions
        done = set(
            LessonCompletion.objects.filter(
                user_id__in=[m.user_id for m in on_page], lesson__course_id__in=course_ids,
                lesson__status=PUBLISHED,
            ).values_list("user_id", "lesson_id")
        )  # fmt: skip

    dashboard = TeamDashboard(
        data=data, member_count=member_count, lessons=lessons, done=done, now=now, page=page,
        attention_count=count, attention_cache=attention, attention_paging=attention_paging,
        members_by_user=by_user, keys=keys, figures_as_of=min(stale.values(), default=None),
        per_lesson=parts["progress"]["per_lesson"], summary=parts["progress"]["summary"],
        week=parts["progress"]["week"], best=parts["progress"]["best"],
        objectives=parts["mastery"]["objectives"], has_objectives=parts["mastery"]["has_objectives"],
        objective_texts=parts["mastery"]["objective_texts"], misunderstood=parts["mastery"]["misunderstood"],
        quizzes=parts["items"]["quizzes"], matrices=parts["matrices"]["matrices"],
        mispredicted=parts["matrices"]["mispredicted"],
    )  # fmt: skip
    dashboard.attention_rows = _attention_rows(dashboard, shown)
    return dashboard


def refresh_after_response(*, team: Team, course_slug: str | None, fingerprint) -> None:
    """Work the team's figures out for its activity as it is, once this response has gone;
    one process at a time per team and activity (a lock in the cache, shared with Redis)."""
    lock = f"progress:team:{team.pk}:refreshing:{hashlib.sha256(repr((course_slug, fingerprint)).encode()).hexdigest()}"
    if cache.add(lock, True, REFRESH_LOCK_SECONDS):
        after_response(_refresh, team.pk, course_slug, lock)


def _refresh(team_id: int, course_slug: str | None, lock: str) -> None:
    try:
        team = Team.objects.filter(pk=team_id).first()
        if team is not None:
            team_dashboard(team=team, course_slug=course_slug, serve_stale=False)
    finally:
        cache.delete(lock)


class AttentionCache:
    """Who needs attention, cached in chunks of ATTENTION_PER_PAGE (most pressing first) with
    their count, under a key made of the progress and mastery parts' keys: the first screen
    reads the first chunk, page n of "Show all" the n-th, never the whole list (at 10,000
    members, half a megabyte)."""

    def __init__(self, team: Team, keys: dict[str, str]):
        both = hashlib.sha256((keys["progress"] + keys["mastery"]).encode()).hexdigest()
        self.base = f"progress:team:{team.pk}:attention:{both}"
        self.count_key = f"{self.base}:count"
        self._stored: list | None = None

    def chunk_key(self, number: int) -> str:
        return f"{self.base}:{number}"

    def store(self, flagged: list) -> None:
        self._stored = flagged
        chunks = {
            self.chunk_key(n): flagged[start : start + ATTENTION_PER_PAGE]
            for n, start in enumerate(range(0, len(flagged), ATTENTION_PER_PAGE))
        }
        cache.set_many({self.count_key: len(flagged), **chunks}, TEAM_FIGURES_KEPT)

    def chunk(self, number: int, found: dict | None) -> list:
        """Chunk ``number``: just stored, among ``found`` (read with the parts), or read now."""
        if self._stored is not None:
            start = number * ATTENTION_PER_PAGE
            return self._stored[start : start + ATTENTION_PER_PAGE]
        key = self.chunk_key(number)
        if found is not None and key in found:
            return found[key]
        return cache.get(key) or []

    def everyone(self, count: int) -> list:
        """The whole list (every chunk): for tests and tools, not for the page."""
        if self._stored is not None:
            return self._stored
        chunks = cache.get_many([self.chunk_key(n) for n in range(-(-count // ATTENTION_PER_PAGE))])
        return [entry for n in range(len(chunks)) for entry in chunks.get(self.chunk_key(n), [])]


def _attention_rows(dashboard: TeamDashboard, shown) -> list[AttentionRow]:
    """The shown entries of the attention list in words, for the members read."""
    courses = {course.pk: course.title for course in dashboard.data.courses}
    quizzes = {quiz.pk: (quiz.title, quiz.pass_percent) for quiz in dashboard.quiz_list}
    today = timezone.localdate(dashboard.now)
    rows = []
    for user_id, packed in shown:
        membership = dashboard.members_by_user.get(user_id)
        if membership is None:  # left the team since the figures were worked out
            continue
        notes = member_notes([unpack(c) for c in packed], courses=courses, quizzes=quizzes,
                             best=dashboard.best.get(user_id, {}), objectives=dashboard.objective_texts,
                             today=today, brief=True)  # fmt: skip
        shown_notes = [Note(reason, text) for reason, text in notes[:NOTES_SHOWN]]
        rows.append(AttentionRow(membership, shown_notes, more=max(0, len(notes) - NOTES_SHOWN)))
    return rows
