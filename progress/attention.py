"""Who needs attention, and why: one set of rules for the team dashboard, the member page, the
learner's own pages and the reminders (``notifications``). Pure: callers bring the facts.

For one member of a team, over the team's assigned courses:

- **Not started**: an assigned course with no activity at all, ``NOT_STARTED_AFTER_DAYS`` or
  more after it reached them (assigned to the team, or the member joined, whichever is later).
- **Inactive**: a course started and not complete, and nothing done in any assigned course
  for ``INACTIVE_AFTER_DAYS`` or more.
- **Due soon**: a course not complete whose due date is at most ``DUE_SOON_DAYS`` away.
- **Overdue**: a course not complete after the end of its due day.
- **Failing a quiz**: a published quiz submitted at least once and never passed.
- **Confidently wrong**: an objective where the member's answers include "sure" and wrong
  (``courses.mastery``: it lowers their level); the caller passes those objectives.

A complete course raises nothing, whatever its dates. What "overdue" and "due soon" mean is
``courses.deadlines`` (the learner's own pages, in lower apps, use it too).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from courses.deadlines import DUE_SOON_DAYS, days_left, is_due_soon, is_overdue

NOT_STARTED_AFTER_DAYS = 7
INACTIVE_AFTER_DAYS = 14

__all__ = ["DUE_SOON_DAYS", "INACTIVE_AFTER_DAYS", "NOT_STARTED_AFTER_DAYS", "Concern",
           "CourseFacts", "Reason", "is_overdue", "member_concerns", "reached_at"]  # fmt: skip


class Reason(enum.StrEnum):
    """Why a member needs attention, most pressing first (the dashboard sorts by this order)."""

    OVERDUE = "overdue"
    FAILING_QUIZ = "failing_quiz"
    CONFIDENTLY_WRONG = "confidently_wrong"
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"
    DUE_SOON = "due_soon"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def rank(self) -> int:
        return list(Reason).index(self)


LABELS = {
    Reason.OVERDUE: "Overdue",
    Reason.FAILING_QUIZ: "Failing a quiz",
    Reason.CONFIDENTLY_WRONG: "Sure but wrong",
    Reason.INACTIVE: "Inactive",
    Reason.NOT_STARTED: "Not started",
    Reason.DUE_SOON: "Due soon",
}


@dataclass(frozen=True)
class CourseFacts:
    """What the rules need of one member in one assigned course.

    ``reached_at``: when the course reached the member (the later of its assignment and their
    joining the team). ``failed_quiz_ids``: published quizzes submitted and never passed.
    """

    course_id: int
    reached_at: datetime.datetime
    started: bool
    complete: bool
    last_activity: datetime.datetime | None = None
    due_on: datetime.date | None = None
    failed_quiz_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Concern:
    """One reason to look at a member: ``subject_id`` is the course (or quiz, for a failing
    quiz; objective, for a confident mistake); ``course_id`` the course it belongs to, when
    known. ``due_on`` is set for the due-date reasons; ``days`` says how long: days overdue,
    days left, days inactive or days since the course reached them."""

    reason: Reason
    subject_id: int
    course_id: int | None = None
    due_on: datetime.date | None = None
    days: int | None = None


def _days(later: datetime.datetime, earlier: datetime.datetime) -> int:
    return (later - earlier) // datetime.timedelta(days=1)


def member_concerns(
    courses: Sequence[CourseFacts],
    *,
    now: datetime.datetime,
    confidently_wrong: Iterable[tuple[int, int | None]] = (),
) -> list[Concern]:
    """Every concern about one member, most pressing first.

    ``courses``: the member's facts in each assigned course; ``confidently_wrong``: (objective
    id, course id) pairs where the member was sure and wrong.
    """
    concerns: list[Concern] = []
    activity = [facts.last_activity for facts in courses if facts.last_activity]
    latest = max(activity, default=None)
    unfinished_started = [f for f in courses if f.started and not f.complete]
    if unfinished_started and latest and now - latest >= datetime.timedelta(days=INACTIVE_AFTER_DAYS):
        for facts in unfinished_started:
            concerns.append(
                Concern(Reason.INACTIVE, facts.course_id, facts.course_id, days=_days(now, latest))
            )
    for facts in courses:
        if facts.complete:
            continue
        waited = now - facts.reached_at
        if not facts.started and waited >= datetime.timedelta(days=NOT_STARTED_AFTER_DAYS):
            concerns.append(
                Concern(Reason.NOT_STARTED, facts.course_id, facts.course_id, days=waited.days)
            )
        due = facts.due_on
        if is_overdue(due, complete=False, now=now):
            overdue_by = -days_left(due, now=now)
            concerns.append(Concern(Reason.OVERDUE, facts.course_id, facts.course_id, due, overdue_by))
        elif is_due_soon(due, complete=False, now=now):
            left = days_left(due, now=now)
            concerns.append(Concern(Reason.DUE_SOON, facts.course_id, facts.course_id, due, left))
        concerns.extend(
            Concern(Reason.FAILING_QUIZ, quiz_id, facts.course_id)
            for quiz_id in facts.failed_quiz_ids
        )
    concerns.extend(
        Concern(Reason.CONFIDENTLY_WRONG, objective_id, course_id)
        for objective_id, course_id in confidently_wrong
    )
    return sorted(concerns, key=lambda concern: (concern.reason.rank, concern.course_id or 0))


def reached_at(*, assigned_at: datetime.datetime, joined_at: datetime.datetime) -> datetime.datetime:
    """When a course reached a member: assigned before they joined counts from their joining."""
    return max(assigned_at, joined_at)
