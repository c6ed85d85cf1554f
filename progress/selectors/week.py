"""What the team did this week and the week before: the facts ``progress.glance.week_figures``
counts, read in one query whatever the size of the team.

One UNION ALL of three grouped reads over the team's members (a subquery, so no list of ids
is sent) in the given courses: lesson completions per member and course (those of this week
and the week before, and the first and latest ever), submissions per member and quiz (the
first, and the first that passed), and enrolments (when each began).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Count, DateTimeField, F, IntegerField, Max, Min, Q, Value

from accounts.models import Team
from courses.models import Enrollment
from lessons.models import LessonCompletion
from quizzes.models import Attempt

from ..glance import WeekFacts, Windows
from .course_progress import PUBLISHED
from .team import member_ids

LESSONS, QUIZZES, ENROLMENTS = 0, 1, 2
COLUMNS = ("kind", "uid", "item", "first_at", "last_at", "this_week", "last_week")


def _parsed(value):
    # Some backends return a union's datetimes as text.
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def week_facts(*, team: Team, course_ids: Sequence[int], now: datetime.datetime) -> WeekFacts:
    """The team's members' activity in ``course_ids`` as ``week_figures`` needs it (one query;
    none without courses)."""
    if not course_ids:
        return WeekFacts(lessons={}, first_passes={}, first_activity={})
    windows = Windows(now)
    members = member_ids(team)
    this_week = Q(completed_at__gte=windows.this_start, completed_at__lte=now)
    last_week = Q(completed_at__gte=windows.last_start, completed_at__lt=windows.this_start)
    lessons = (
        LessonCompletion.objects.filter(
            user_id__in=members, lesson__course_id__in=course_ids, lesson__status=PUBLISHED
        )
        .values("user_id", "lesson__course_id")
        .annotate(
            kind=Value(LESSONS), uid=F("user_id"), item=F("lesson__course_id"),
            first_at=Min("completed_at"), last_at=Max("completed_at"),
            this_week=Count("pk", filter=this_week), last_week=Count("pk", filter=last_week),
        )  # fmt: skip
    )
    quizzes = (
        Attempt.objects.filter(
            user_id__in=members, quiz__course_id__in=course_ids, quiz__is_published=True,
            submitted_at__isnull=False,
        )  # fmt: skip
        .values("user_id", "quiz_id")
        .annotate(
            kind=Value(QUIZZES), uid=F("user_id"), item=F("quiz_id"),
            first_at=Min("submitted_at"), last_at=Min("submitted_at", filter=Q(passed=True)),
            this_week=Value(0), last_week=Value(0),
        )  # fmt: skip
    )
    enrolments = Enrollment.objects.filter(user_id__in=members, course_id__in=course_ids).annotate(
        kind=Value(ENROLMENTS), uid=F("user_id"), item=F("course_id"),
        first_at=F("enrolled_at"), last_at=Value(None, output_field=DateTimeField()),
        this_week=Value(0, output_field=IntegerField()), last_week=Value(0, output_field=IntegerField()),
    )  # fmt: skip
    branches = [qs.order_by().values_list(*COLUMNS) for qs in (lessons, quizzes, enrolments)]
    rows = branches[0].union(*branches[1:], all=True).order_by()

    completed, passes, first_activity = {}, {}, {}
    for kind, user_id, item, first_at, last_at, this, last in rows:
        first_at, last_at = _parsed(first_at), _parsed(last_at)
        if first_at is not None and (user_id not in first_activity or first_at < first_activity[user_id]):
            first_activity[user_id] = first_at
        if kind == LESSONS:
            completed[(user_id, item)] = (this, last, last_at)
        elif kind == QUIZZES and last_at is not None:
            passes[(user_id, item)] = last_at
    return WeekFacts(lessons=completed, first_passes=passes, first_activity=first_activity)
