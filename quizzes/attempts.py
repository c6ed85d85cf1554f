"""Attempts as read: how many are left, and the order a learner sees one attempt's questions in.

Issuing and submitting attempts (the writes) are in ``quizzes.services``.
"""

from collections.abc import Sequence

from .models import Attempt, Question, Quiz


def attempts_used(attempts: Sequence[Attempt]) -> int:
    return sum(1 for attempt in attempts if attempt.is_submitted)


def attempts_left(quiz: Quiz, attempts: Sequence[Attempt]) -> int | None:
    """How many more attempts the learner may submit; None when the quiz allows any number."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - attempts_used(attempts))


def arrange(questions: Sequence[Question], attempt: Attempt | None) -> list[Question]:
    """The questions in the attempt's order, each with ``shown_choices`` in its order.

    Questions added to the quiz after the attempt was issued come last, in authored order;
    without an attempt (a staff preview) everything keeps its authored order.
    """
    order = {pk: index for index, pk in enumerate(attempt.question_order if attempt else [])}
    arranged = sorted(questions, key=lambda q: (order.get(q.pk, len(order)), q.order, q.pk))
    choice_order = attempt.choice_order if attempt else {}
    for question in arranged:
        choices = list(question.choices.all())
        wanted = {pk: index for index, pk in enumerate(choice_order.get(str(question.pk), []))}
        if wanted:
            choices.sort(key=lambda c: (wanted.get(c.pk, len(wanted)), c.order, c.pk))
        question.shown_choices = choices
    return arranged
