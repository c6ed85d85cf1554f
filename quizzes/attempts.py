"""Attempts as rules: how many are left, when the next may start, and each attempt's paper.

Pure functions of values already loaded. Issuing and submitting attempts (the writes) are in
``quizzes.services``.

- **The paper** (``deal``): with a pool (``Quiz.draw_count``) an attempt draws that many of
  the questions at random; with ``Quiz.shuffle`` the questions and their choices are put in a
  random order, except a true-or-false question's choices, which stay "True" then "False".
  The paper is stored on the attempt, so a reload shows the same one and a retry a new one.
- **The wait** (``retry_available_at``): after a submitted attempt, the next one may be
  issued ``Quiz.retry_wait_minutes`` later.
"""

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import dateformat, timezone

from .models import Attempt, Question, Quiz


def attempts_used(attempts: Sequence[Attempt]) -> int:
    return sum(1 for attempt in attempts if attempt.is_submitted)


def attempts_left(quiz: Quiz, attempts: Sequence[Attempt]) -> int | None:
    """How many more attempts the learner may submit; None when the quiz allows any number."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - attempts_used(attempts))


def retry_available_at(
    quiz: Quiz, attempts: Sequence[Attempt], *, now: datetime.datetime
) -> datetime.datetime | None:
    """When the learner may start the next attempt, or None if they may start one ``now``.

    Only the wait counts here; an open attempt can always be carried on.
    """
    if not quiz.retry_wait_minutes or any(not attempt.is_submitted for attempt in attempts):
        return None
    submitted = [attempt.submitted_at for attempt in attempts if attempt.is_submitted]
    if not submitted:
        return None
    available = max(submitted) + datetime.timedelta(minutes=quiz.retry_wait_minutes)
    return available if available > now else None


def minutes_until(when: datetime.datetime, *, now: datetime.datetime) -> int:
    """Whole minutes from ``now`` until ``when``, rounded up (at least 1)."""
    return max(1, math.ceil((when - now).total_seconds() / 60))


def wait_message(when: datetime.datetime, *, now: datetime.datetime) -> str:
    """'You can try again at 14:05, in 12 minutes.' (local time; the date if not today)."""
    local, today = timezone.localtime(when), timezone.localtime(now)
    minutes = minutes_until(when, now=now)
    clock = local.strftime("%H:%M")
    if local.date() != today.date():
        clock = f"{clock} on {dateformat.format(local, 'j M Y')}"
    if minutes < 120:
        span = f"{minutes} minute{'s' if minutes != 1 else ''}"
    else:
        hours = round(minutes / 60)
        span = f"about {hours} hours"
    return f"You can try again at {clock}, in {span}."


@dataclass(frozen=True)
class Paper:
    """An attempt's questions in order, each one's choice order, and whether it was drawn."""

    question_order: list[int]
    choice_order: dict[str, list[int]]
    is_drawn: bool


def deal(quiz: Quiz, questions: Sequence[Question], *, rng: random.Random | None = None) -> Paper:
    """The paper of a new attempt at ``quiz`` (``questions`` with ``choices`` prefetched).

    ``rng`` makes it reproducible in tests; by default the module's random generator.
    """
    rng = rng or random.Random()
    ids = [question.pk for question in questions]
    is_drawn = bool(quiz.draw_count) and quiz.draw_count < len(ids)
    if is_drawn:
        drawn = set(rng.sample(ids, quiz.draw_count))
        ids = [pk for pk in ids if pk in drawn]  # authored order until shuffled
    choice_order = {}
    if quiz.shuffle:
        rng.shuffle(ids)
        kept = set(ids)
        for question in questions:
            if question.pk not in kept or question.kind == Question.Kind.TRUE_FALSE:
                continue  # "True" then "False" reads better than a coin toss.
            choice_ids = [choice.pk for choice in question.choices.all()]
            rng.shuffle(choice_ids)
            choice_order[str(question.pk)] = choice_ids
    return Paper(question_order=ids, choice_order=choice_order, is_drawn=is_drawn)


def arrange(questions: Sequence[Question], attempt: Attempt | None) -> list[Question]:
    """The attempt's questions in its order, each with ``shown_choices`` in its order.

    A drawn attempt has only the questions it drew. Otherwise questions added to the quiz
    after the attempt was issued come last, in authored order; without an attempt (a staff
    preview) everything keeps its authored order.
    """
    order = {pk: index for index, pk in enumerate(attempt.question_order if attempt else [])}
    if attempt is not None and attempt.is_drawn:
        questions = [question for question in questions if question.pk in order]
    arranged = sorted(questions, key=lambda q: (order.get(q.pk, len(order)), q.order, q.pk))
    choice_order = attempt.choice_order if attempt else {}
    for question in arranged:
        choices = list(question.choices.all())
        wanted = {pk: index for index, pk in enumerate(choice_order.get(str(question.pk), []))}
        if wanted:
            choices.sort(key=lambda c: (wanted.get(c.pk, len(wanted)), c.order, c.pk))
        question.shown_choices = choices
    return arranged


def answered_before(attempt: Attempt, earlier: Sequence[Attempt]) -> set[int] | None:
    """Questions of ``attempt`` that an earlier submitted attempt of the learner asked too.

    An attempt drawn from a pool asked the questions of its paper; any other asked every
    question of the quiz. None stands for "every question" (an undrawn earlier attempt).
    """
    asked: set[int] = set()
    for other in earlier:
        if other.pk == attempt.pk or not other.is_submitted:
            continue
        if not other.is_drawn:
            return None
        asked.update(other.question_order)
    return asked
