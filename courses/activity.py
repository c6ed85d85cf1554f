"""Activity information: what a continuing-education provider must show before a learner starts.

Healthcare continuing-education providers state, for each activity (here: each course), its
objectives, release and last-review dates, expiry, estimated time, minimum passing score and
the authors' disclosures. This module holds the rules, as pure functions of plain values:

- **Expiry**: an activity must be reviewed at least every ``REVIEW_YEARS`` years. It expires
  ``REVIEW_YEARS`` years after its last review (after its release while it has never been
  reviewed), and counts as valid through that day. A review on 29 February expires on
  28 February: the interval never stretches past three years.
- **Dates**: a last review is never before the release, nor in the future.
- **Estimated time**: the lessons' own ``estimated_minutes`` (the reading-time rule of
  content/README.md: words / 200 + time for their checks and widgets) plus
  ``QUIZ_MINUTES_PER_QUESTION`` for each question one attempt at a quiz asks.
- **Minimum passing score**: a course is complete when every published quiz is passed, each at
  its own pass mark, so every mark is stated (``PassingScore``); ``strictest`` is the highest.

``lessons.catalog`` puts the course's figures together (``ActivityInfo``) for the overview;
the admin and the model's validation use the same functions.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

REVIEW_YEARS = 3
# Quiz questions here are short scenarios: reading one, its choices, and choosing.
QUIZ_MINUTES_PER_QUESTION = 1.5


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved ``years`` years on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, and the target year is not a leap year
        return day.replace(year=day.year + years, day=28)


def expires_on(
    *, released_on: datetime.date | None, last_reviewed_on: datetime.date | None
) -> datetime.date | None:
    """The last day the activity is current: ``REVIEW_YEARS`` after its last review, or after
    its release when it was never reviewed; None when neither date is known."""
    base = last_reviewed_on or released_on
    return add_years(base, REVIEW_YEARS) if base else None


def is_review_overdue(expiry: datetime.date | None, *, today: datetime.date) -> bool:
    """Whether the activity is past its expiry (from the day after it); never without one."""
    return expiry is not None and today > expiry


def date_problems(
    *,
    released_on: datetime.date | None,
    last_reviewed_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with the dates, by field name (empty when nothing is)."""
    problems = {}
    if released_on and released_on > today:
        problems["released_on"] = "The release date cannot be in the future."
    if last_reviewed_on:
        if last_reviewed_on > today:
            problems["last_reviewed_on"] = "The last review cannot be in the future."
        elif released_on and last_reviewed_on < released_on:
            problems["last_reviewed_on"] = "The last review cannot be before the release date."
    return problems


def duration(minutes: int) -> str:
    """``minutes`` as a reader says it: "45 minutes", "1 hour", "2 hours 5 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def quiz_minutes(questions_asked: int) -> int:
    """The minutes one attempt at a quiz asking ``questions_asked`` questions takes, rounded up."""
    return math.ceil(questions_asked * QUIZ_MINUTES_PER_QUESTION)


def questions_asked(*, question_count: int, draw_count: int | None) -> int:
    """How many questions one attempt asks: the drawn number, or every question."""
    return min(draw_count, question_count) if draw_count else question_count


@dataclass(frozen=True)
class PassMark:
    """One published quiz of the course and the percentage needed to pass it."""

    title: str
    percent: int


@dataclass(frozen=True)
class PassingScore:
    """The course's pass marks, one per published quiz, in the course's order."""

    marks: tuple[PassMark, ...] = ()

    @property
    def strictest(self) -> int | None:
        """The highest pass mark; None when the course has no quiz."""
        return max((mark.percent for mark in self.marks), default=None)

    @property
    def uniform(self) -> bool:
        """Whether every quiz asks the same mark (then one number says it)."""
        return len({mark.percent for mark in self.marks}) <= 1


@dataclass(frozen=True)
class ActivityInfo:
    """A course's activity information as the overview shows it."""

    objectives: tuple[str, ...]
    released_on: datetime.date | None
    last_reviewed_on: datetime.date | None
    expires_on: datetime.date | None
    review_overdue: bool
    lesson_minutes: int
    quiz_minutes: int
    passing: PassingScore
    disclosure_html: str

    @property
    def minutes(self) -> int:
        return self.lesson_minutes + self.quiz_minutes

    @property
    def duration(self) -> str:
        return duration(self.minutes)

    @property
    def review_years(self) -> int:
        return REVIEW_YEARS


def activity_info(
    *,
    objectives: Iterable[str],
    released_on: datetime.date | None,
    last_reviewed_on: datetime.date | None,
    lesson_minutes: Iterable[int],
    quizzes: Sequence[tuple[str, int, int]],
    disclosure_html: str,
    today: datetime.date,
) -> ActivityInfo:
    """The activity information of a course from its parts: ``quizzes`` are its published
    quizzes in order as (title, pass mark, questions one attempt asks)."""
    expiry = expires_on(released_on=released_on, last_reviewed_on=last_reviewed_on)
    return ActivityInfo(
        objectives=tuple(objectives),
        released_on=released_on,
        last_reviewed_on=last_reviewed_on,
        expires_on=expiry,
        review_overdue=is_review_overdue(expiry, today=today),
        lesson_minutes=sum(lesson_minutes),
        quiz_minutes=sum(quiz_minutes(asked) for _, _, asked in quizzes),
        passing=PassingScore(tuple(PassMark(title, percent) for title, percent, _ in quizzes)),
        disclosure_html=disclosure_html,
    )
