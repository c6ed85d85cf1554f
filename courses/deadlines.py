"""Due dates: when a course assigned with a due date counts as late, or nearly. Pure.

A due date includes its whole day in the site's time zone: a course due on 12 December is
overdue from the first moment of the 13th, and only while it is not complete
(``courses.completion``). The learner's pages, the team pages and the reminders all ask here.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# "Due soon" from this many days before the due date, the due day included.
DUE_SOON_DAYS = 7


def days_left(due_on: datetime.date, *, now: datetime.datetime) -> int:
    """Whole days from today to ``due_on``: 0 on the due day, negative once it has passed."""
    return (due_on - timezone.localdate(now)).days


def is_overdue(due_on: datetime.date | None, *, complete: bool, now: datetime.datetime) -> bool:
    """Past the end of its due day and not complete."""
    return due_on is not None and not complete and days_left(due_on, now=now) < 0


def is_due_soon(due_on: datetime.date | None, *, complete: bool, now: datetime.datetime) -> bool:
    """Not complete, and the due day is today or at most DUE_SOON_DAYS away."""
    return due_on is not None and not complete and 0 <= days_left(due_on, now=now) <= DUE_SOON_DAYS
