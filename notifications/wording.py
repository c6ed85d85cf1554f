"""The words of the mail: one sentence per reminder item, and the subject lines. Pure.

Plain words, with the numbers a person acts on ("Imaging AI is due on Friday: 3 lessons and
1 quiz left"), never the rule's name. Dates are the site's time zone's.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.text import get_text_list

from courses.deadlines import days_left

from .models import Rule
from .rules import Item


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def due_phrase(due_on: datetime.date, *, now: datetime.datetime) -> str:
    """When ``due_on`` is, from ``now``: "today", "tomorrow", "on Friday" within the week,
    else "on 12 December"."""
    days = days_left(due_on, now=now)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 1 < days < 7:
        return "on " + date_format(due_on, "l")
    return "on " + date_format(due_on, "j F")


def left_phrase(*, lessons_left: int, quizzes_left: int) -> str:
    """What is left of a course: "3 lessons and 1 quiz left" (or "1 quiz left")."""
    parts = []
    if lessons_left:
        parts.append(plural(lessons_left, "lesson"))
    if quizzes_left:
        parts.append(plural(quizzes_left, "quiz", "quizzes"))
    return (get_text_list(parts, "and") + " left") if parts else "almost done"


def reminder_line(item: Item, *, title: str, left: str, now: datetime.datetime) -> str:
    """One sentence of a learner's reminder. ``title``: the course's (unused for reviews);
    ``left``: ``left_phrase`` of the course."""
    if item.rule == Rule.OVERDUE:
        ago = plural(item.days or 0, "day")
        return f"{title} was due on {date_format(item.due_on, 'j F')}, {ago} ago: {left}."
    if item.rule == Rule.DUE_SOON:
        return f"{title} is due {due_phrase(item.due_on, now=now)}: {left}."
    if item.rule == Rule.INACTIVE:
        return f"You have not worked on {title} for {plural(item.days or 0, 'day')}: {left}."
    if item.rule == Rule.NOT_STARTED:
        return f"{title} has been waiting for you for {plural(item.days or 0, 'day')}: {left}."
    if item.rule == Rule.REVIEWS_DUE:
        due = item.days or 0
        return f"{plural(due, 'review')} {'is' if due == 1 else 'are'} due: a few minutes now keeps what you learned."
    raise ValueError(f"not a reminder: {item.rule}")


def reminder_headline(item: Item, *, title: str, now: datetime.datetime) -> str:
    """A short headline for ``item``: the subject of a reminder about it."""
    if item.rule == Rule.OVERDUE:
        return f"{title} is overdue"
    if item.rule == Rule.DUE_SOON:
        return f"{title} is due {due_phrase(item.due_on, now=now)}"
    if item.rule == Rule.INACTIVE:
        return f"Pick up {title} where you left off"
    if item.rule == Rule.NOT_STARTED:
        return f"{title} is waiting for you"
    if item.rule == Rule.REVIEWS_DUE:
        due = item.days or 0
        return f"{plural(due, 'review')} {'is' if due == 1 else 'are'} due"
    raise ValueError(f"not a reminder: {item.rule}")


def reminder_subject(headlines: Sequence[str]) -> str:
    """The first (most pressing) headline, and how many more items the mail lists."""
    more = len(headlines) - 1
    return headlines[0] + (f" (and {more} more)" if more else "")


def digest_subject(*, team: str, needing_attention: int) -> str:
    if needing_attention:
        return f"{team} this week: {plural(needing_attention, 'person', 'people')} to look at"
    return f"{team} this week: everyone is on track"


def nudge_subject(*, manager: str, team: str) -> str:
    return f"A reminder from {manager} ({team})"


def named(names: Sequence[str], *, more: int) -> str:
    """"Ann, Ben and 3 more": the first names of a list and how many are left out."""
    if more:
        return ", ".join(names) + f" and {more} more"
    return get_text_list(list(names), "and")
