"""The team dashboard's cache: a one-query fingerprint of the team's activity, and its key.

The team-level aggregates are cached under a key that changes with any new submission,
completion, first prediction or answer, lesson view or membership (the fingerprint, one
query) and with any change to the team's assignments (a course assigned or withdrawn, a due
date set, moved or cleared: read with the courses, so at no extra query), so the dashboard
never shows a figure older than the members' last action or the manager's last change. The
timeout bounds how long an edit to the content itself (a question, a matrix) goes unseen, and
how stale the day counts of "who needs attention" may be (minutes, against rules in days).
"""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Count, Max, QuerySet, Subquery, Value

from accounts.models import Membership, Team
from courses.models import Enrollment
from lessons.models import LessonCompletion
from matrix.models import MatrixPrediction
from practice.models import BlockAnswer
from quizzes.models import Attempt

TEAM_AGGREGATES_TIMEOUT = 5 * 60


def _count_and_latest(queryset: QuerySet, field_name: str) -> tuple[Subquery, Subquery]:
    """Two scalar subqueries over ``queryset``: its row count and the latest ``field_name``."""
    grouped = queryset.order_by().annotate(one=Value(1)).values("one")
    return (
        Subquery(grouped.annotate(n=Count("pk")).values("n")[:1]),
        Subquery(grouped.annotate(latest=Max(field_name)).values("latest")[:1]),
    )


def team_fingerprint(team: Team) -> tuple:
    """What changes whenever the team's aggregates could: counts and latest times of its
    members' submitted attempts, lesson completions and enrolments (last seen), their first
    predictions and first answers to blocks, and the memberships. One query (scalar subqueries); cheap next to the
    aggregates themselves."""
    members = Membership.objects.filter(team_id=team.pk, role=Membership.Role.MEMBER)
    member_ids = members.values("user_id")
    attempts, last_attempt = _count_and_latest(
        Attempt.objects.filter(user_id__in=member_ids, submitted_at__isnull=False), "submitted_at"
    )
    completions, last_completion = _count_and_latest(
        LessonCompletion.objects.filter(user_id__in=member_ids), "completed_at"
    )
    predictions, _ = _count_and_latest(
        MatrixPrediction.objects.filter(user_id__in=member_ids, is_first=True), "pk"
    )
    # First answers to blocks are mastery's evidence.
    block_answers, _ = _count_and_latest(
        BlockAnswer.objects.filter(user_id__in=member_ids, is_first=True), "pk"
    )
    # Lesson views move last_seen_at, which "inactive" and "not started" read.
    enrolments, last_seen = _count_and_latest(
        Enrollment.objects.filter(user_id__in=member_ids), "last_seen_at"
    )
    memberships, last_joined = _count_and_latest(members, "joined_at")
    row = (
        Team.objects.filter(pk=team.pk)
        .annotate(
            attempts=attempts,
            last_attempt=last_attempt,
            completions=completions,
            last_completion=last_completion,
            predictions=predictions,
            block_answers=block_answers,
            fp_memberships=memberships,
            last_joined=last_joined,
            enrolments=enrolments,
            last_seen=last_seen,
        )
        .values_list(
            "attempts", "last_attempt", "completions", "last_completion", "predictions",
            "block_answers", "fp_memberships", "last_joined", "enrolments", "last_seen",
        )
        .get()
    )
    return tuple(value.isoformat() if isinstance(value, datetime.datetime) else value for value in row)


def aggregates_key(*, team: Team, fingerprint: tuple, courses, lessons, quizzes) -> str:
    """The cache key of the team's aggregates: the fingerprint, and the courses (each with its
    assignment's dates, from ``assigned_courses``), lessons and quizzes they cover."""
    parts = repr((
        fingerprint,
        [(course.pk, str(course.assigned_at), str(course.due_on)) for course in courses],
        [lesson.pk for lesson in lessons],
        [quiz.pk for quiz in quizzes],
    ))
    return f"progress:team:{team.pk}:{hashlib.sha256(parts.encode()).hexdigest()}"
