"""When a mail goes, and how often: the rules of the reminders, digests and nudges. Pure.

Who needs attention is not decided here: that is ``progress.attention`` (through
``progress.selectors.attention.concerns_by_member``), the same rules the dashboards show.
This module picks which of those concerns a learner is mailed about and how often:

- **Reminders** to a learner, for a course assigned to their team: not started, inactive, due
  soon, overdue (``REMINDER_RULES``); and for their reviews, when cards are due. At most one
  per rule, course and calendar week (ISO weeks, Monday to Sunday, in the site's time zone):
  each is recorded with the period ``week_period(now)``. One run sends a learner one mail
  listing every item not yet mailed this week.
- **Digest**: one a week to each manager of each team with members.
- **Nudge**: a manager's personal reminder, at most one per member, team and day
  (``day_period(now)``).
- A failed send is tried again after ``Mail.RETRY_MINUTES`` (``retry_at``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from progress.attention import Concern, Reason

from .models import Rule

# The concerns a learner is mailed about, most pressing first (a confident mistake or a failed
# quiz is the dashboard's, and the manager's, to act on).
REMINDER_RULES = {
    Reason.OVERDUE: Rule.OVERDUE,
    Reason.DUE_SOON: Rule.DUE_SOON,
    Reason.INACTIVE: Rule.INACTIVE,
    Reason.NOT_STARTED: Rule.NOT_STARTED,
}


@dataclass(frozen=True)
class Item:
    """One thing a reminder tells a learner: ``rule`` about ``subject`` (``course:<id>``, or
    empty for reviews), with what the wording needs (``days``: see ``Concern``; for reviews,
    the number of cards due)."""

    rule: str
    subject: str
    course_id: int | None = None
    due_on: datetime.date | None = None
    days: int | None = None


def week_period(now: datetime.datetime) -> str:
    """The ISO week of ``now`` in the site's time zone, e.g. ``2026-W49``."""
    year, week, _ = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def day_period(now: datetime.datetime) -> str:
    """The day of ``now`` in the site's time zone, e.g. ``2026-12-02``."""
    return timezone.localdate(now).isoformat()


def course_subject(course_id: int) -> str:
    return f"course:{course_id}"


def team_subject(team_id: int) -> str:
    return f"team:{team_id}"


def reminder_items(concerns: Iterable[Concern], *, reviews_due: int = 0) -> list[Item]:
    """What to remind a learner of, from their concerns (in any number of teams) and the number
    of review cards due: one item per rule and course, most pressing first, reviews last."""
    items: dict[tuple[str, str], Item] = {}
    ranked = sorted(
        (c for c in concerns if c.reason in REMINDER_RULES and c.course_id is not None),
        key=lambda c: (list(REMINDER_RULES).index(c.reason), c.course_id),
    )
    for concern in ranked:
        rule = REMINDER_RULES[concern.reason]
        subject = course_subject(concern.course_id)
        items.setdefault(
            (rule, subject),
            Item(rule, subject, concern.course_id, concern.due_on, concern.days),
        )
    result = list(items.values())
    if reviews_due > 0:
        result.append(Item(Rule.REVIEWS_DUE, "", days=reviews_due))
    return result


def not_yet_sent(items: Sequence[Item], sent: set[tuple[str, str]]) -> list[Item]:
    """``items`` without those whose (rule, subject) was already mailed this period."""
    return [item for item in items if (item.rule, item.subject) not in sent]


def retry_at(*, attempts: int, now: datetime.datetime, waits: Sequence[int]) -> datetime.datetime:
    """When to try again after ``attempts`` failed attempts: ``waits`` minutes, the last one
    repeating."""
    minutes = waits[min(attempts, len(waits)) - 1]
    return now + datetime.timedelta(minutes=minutes)


def seconds_until_tomorrow(now: datetime.datetime) -> int:
    """Seconds from ``now`` to the next midnight in the site's time zone (a Retry-After)."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    return max(1, int((midnight - now).total_seconds()))
