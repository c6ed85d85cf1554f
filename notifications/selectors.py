"""Reads for the mail: who is owed a reminder or a digest, and what to tell them.

Who needs attention comes from ``progress.selectors.attention.concerns_by_member`` over each
team's progress (``progress.selectors.team_progress``), the same reads and rules as the
dashboards. A learner in several teams has the concerns of all of them. Queries: a fixed
number per team (its progress), plus a fixed number for the whole run (users, reviews due,
this period's sendings), whatever the number of learners.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import Membership, Team
from accounts.names import display_name
from lessons.models import Lesson, LessonCompletion
from progress.attention import Concern, Reason
from progress.selectors import TeamProgress, course_progress, team_progress, with_totals
from progress.selectors.attention import concerns_by_member, team_assignments
from progress.selectors.mastery import team_mastery
from quizzes.models import Attempt
from review.models import Card
from review.selectors import visible

from .models import MailPreference, Sending
from .rules import Item, reminder_items

# The digest names this many people per reason; the rest are counted.
NAMED_PER_REASON = 5
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class CourseState:
    """What a reminder says of one learner's course: its title, address and what is left."""

    title: str
    path: str
    lessons_left: int
    quizzes_left: int


@dataclass
class LearnerReminder:
    """One learner's reminder: everything that applies now (``items``, most pressing first)
    and their courses, by id, for the wording."""

    user: object
    items: list[Item]
    courses: dict[int, CourseState] = field(default_factory=dict)


def wants(user, kind: str) -> bool:
    """Whether ``user`` receives ``kind`` of mail: yes, until they turn it off. No query when
    ``mail_preference`` was selected with the user."""
    try:
        preference = user.mail_preference
    except MailPreference.DoesNotExist:
        return True
    return preference.wants(kind)


def _people():
    """Users who can be mailed, with what naming them and their choices need (no query each)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("profile", "mail_preference")
    )


def _state(progress) -> CourseState:
    return CourseState(
        title=progress.course.title,
        path=progress.course.get_absolute_url(),
        lessons_left=max(0, progress.lessons_total - progress.lessons_completed),
        quizzes_left=max(0, progress.quizzes_total - progress.quizzes_passed),
    )


def due_reviews(*, now: datetime.datetime) -> dict[int, int]:
    """Review cards due by ``now``, by user id, for learners whose reviews are on (one query).

    The same cards as the header's count (``review.selectors.summary``): visible ones only.
    """
    rows = (
        Card.objects.filter(visible(), due__lte=now)
        .exclude(user__review_settings__reviews_on=False)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def teams_with_members():
    """Teams with at least one member (role member), with their assignments prefetched."""
    members = Membership.objects.filter(team=OuterRef("pk"), role=Membership.Role.MEMBER)
    return Team.objects.filter(Exists(members)).prefetch_related("assignments").order_by("pk")


def learner_reminders(*, now: datetime.datetime) -> list[LearnerReminder]:
    """Every learner with something to be reminded of now, by username; before the
    once-a-period filter (``sent_this_period``) and their choices (the caller's)."""
    concerns: dict[int, list[Concern]] = defaultdict(list)
    states: dict[int, dict[int, CourseState]] = defaultdict(dict)
    for team in teams_with_members():
        data = team_progress(team=team)
        if not data.courses:
            continue
        by_member = concerns_by_member(data=data, assignments=team_assignments(team), now=now)
        for user_id, found in by_member.items():
            concerns[user_id].extend(found)
        for membership, course, progress in data.rows():
            states[membership.user_id][course.pk] = _state(progress)
    reviews = due_reviews(now=now)
    # Members of any team, and anyone with a review card due: one query however many they are
    # (a list of ids would grow with them), narrowed to those with something to be told.
    member = Membership.objects.filter(user=OuterRef("pk"), role=Membership.Role.MEMBER)
    card_due = Card.objects.filter(visible(), user=OuterRef("pk"), due__lte=now)
    candidates = _people().filter(Exists(member) | Exists(card_due)).order_by("username")
    reminders = []
    for user in candidates:
        if user.pk not in concerns and user.pk not in reviews:
            continue
        items = reminder_items(concerns.get(user.pk, ()), reviews_due=reviews.get(user.pk, 0))
        if items:
            reminders.append(LearnerReminder(user=user, items=items, courses=states[user.pk]))
    return reminders


def sent_this_period(*, rules: Iterable[str], period: str) -> set[tuple[int, str, str]]:
    """(user id, rule, subject) of every Sending of ``rules`` in ``period`` (one query)."""
    return set(
        Sending.objects.filter(rule__in=list(rules), period=period).values_list(
            "user_id", "rule", "subject"
        )
    )


# -- the weekly digest -----------------------------------------------------------------------


@dataclass(frozen=True)
class WeekChanges:
    """What a team did in the seven days to ``now``, in its assigned courses.

    The digest's "what changed": a small read of its own, to be swapped for the dashboard's
    own "this week" figures once they exist (``week_changes``).
    """

    lessons_completed: int
    quizzes_passed: int
    active_members: int


@dataclass
class TeamDigest:
    """One team's week for its managers: who needs attention, by reason, and what changed."""

    team: Team
    managers: list
    members: int
    needing_attention: int
    reasons: list[tuple[Reason, int, list[str], int]]  # reason, how many, first names, more
    changes: WeekChanges


def week_changes(*, team: Team, courses: Iterable[int], now: datetime.datetime) -> WeekChanges:
    """Lessons completed and quizzes passed (once per member and quiz) by the team's members in
    the team's courses in the last seven days, and how many members did either (two queries)."""
    since = now - WEEK
    members = Membership.objects.filter(team=team, role=Membership.Role.MEMBER).values("user_id")
    course_ids = list(courses)
    completions = (
        LessonCompletion.objects.filter(
            user_id__in=members, lesson__course_id__in=course_ids,
            lesson__status=Lesson.Status.PUBLISHED, completed_at__gt=since, completed_at__lte=now,
        )  # fmt: skip
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attempts = (
        Attempt.objects.filter(
            user_id__in=members, quiz__course_id__in=course_ids, quiz__is_published=True,
            submitted_at__gt=since, submitted_at__lte=now,
        )  # fmt: skip
        .values("user_id", "quiz_id")
        .annotate(passes=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    done = {row["user_id"]: row["n"] for row in completions}
    tried = list(attempts)
    return WeekChanges(
        lessons_completed=sum(done.values()),
        quizzes_passed=sum(1 for row in tried if row["passes"]),
        active_members=len(set(done) | {row["user_id"] for row in tried}),
    )


def team_digests(*, now: datetime.datetime) -> list[TeamDigest]:
    """The digest of every team with members and at least one manager who can be mailed."""
    digests = []
    people = _people()
    for team in teams_with_members():
        managers = list(
            people.filter(memberships__team=team, memberships__role=Membership.Role.MANAGER)
            .order_by("username")
        )
        if not managers:
            continue
        data = team_progress(team=team)
        names = {
            user.pk: display_name(user)
            for user in get_user_model().objects.filter(
                memberships__team=team, memberships__role=Membership.Role.MEMBER
            ).select_related("profile")
        }
        digests.append(_digest(team=team, data=data, managers=managers, names=names, now=now))
    return digests


def _digest(*, team, data: TeamProgress, managers, names, now) -> TeamDigest:
    course_ids = [course.pk for course in data.courses]
    mastery = team_mastery(user_ids=[m.user_id for m in data.members], course_ids=course_ids)
    by_member = concerns_by_member(
        data=data, assignments=team_assignments(team), now=now, mastery=mastery
    )
    people_by_reason: dict[Reason, list[int]] = defaultdict(list)
    for membership in data.members:
        for reason in dict.fromkeys(c.reason for c in by_member[membership.user_id]):
            people_by_reason[reason].append(membership.user_id)
    reasons = []
    for reason in Reason:  # most pressing first
        user_ids = people_by_reason.get(reason, [])
        if user_ids:
            first = sorted(names[uid] for uid in user_ids)[:NAMED_PER_REASON]
            reasons.append((reason, len(user_ids), first, len(user_ids) - len(first)))
    return TeamDigest(
        team=team,
        managers=managers,
        members=len(data.members),
        needing_attention=sum(1 for concerns in by_member.values() if concerns),
        reasons=reasons,
        changes=week_changes(team=team, courses=course_ids, now=now),
    )


# -- a nudge ---------------------------------------------------------------------------------


def member_standing(
    *, team: Team, membership: Membership, now: datetime.datetime
) -> tuple[list[Concern], dict[int, CourseState]]:
    """One member's concerns in ``team`` and their courses' states, for a nudge (five
    queries, whatever the size of the team)."""
    courses = list(with_totals(team.courses.filter(is_published=True)).order_by("order", "title"))
    progress = course_progress(user_ids=[membership.user_id], courses=courses)
    data = TeamProgress(team=team, members=[membership], courses=courses, progress=progress)
    concerns = concerns_by_member(data=data, assignments=team_assignments(team), now=now)
    states = {course.pk: _state(progress[(membership.user_id, course.pk)]) for course in courses}
    return concerns[membership.user_id], states
