"""Issuing attempts, and the order a learner sees the questions and choices of one attempt in.

An attempt is issued when a learner opens a quiz and is reused until it is submitted, so a
reload shows the same (possibly shuffled) order. A database constraint allows one open attempt
per learner and quiz; two pages opened at the same moment share it.
"""

import random
from collections.abc import Sequence

from .grading import AttemptLimitReached
from .models import Attempt, Question, Quiz


def attempts_used(attempts: Sequence[Attempt]) -> int:
    return sum(1 for attempt in attempts if attempt.is_submitted)


def attempts_left(quiz: Quiz, attempts: Sequence[Attempt]) -> int | None:
    """How many more attempts the learner may submit; None when the quiz allows any number."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - attempts_used(attempts))


def issue_attempt(
    *, user, quiz: Quiz, questions: Sequence[Question], attempts: Sequence[Attempt]
) -> Attempt:
    """Return the learner's open attempt at ``quiz``, issuing a new one if there is none.

    ``attempts`` are the learner's attempts at this quiz, already loaded. Raises
    AttemptLimitReached when every allowed attempt has been submitted.
    """
    for attempt in attempts:
        if not attempt.is_submitted:
            return attempt
    if attempts_left(quiz, attempts) == 0:
        raise AttemptLimitReached(quiz.max_attempts)
    question_order = [question.pk for question in questions]
    choice_order = {}
    if quiz.shuffle:
        random.shuffle(question_order)
        for question in questions:
            if question.kind == Question.Kind.TRUE_FALSE:
                continue  # "True" then "False" reads better than a coin toss.
            ids = [choice.pk for choice in question.choices.all()]
            random.shuffle(ids)
            choice_order[str(question.pk)] = ids
    # If another request from the same learner issued the open attempt a moment ago, the
    # one-open-attempt constraint skips this insert and both requests share that attempt.
    Attempt.objects.bulk_create(
        [Attempt(user=user, quiz=quiz, question_order=question_order, choice_order=choice_order)],
        ignore_conflicts=True,
    )
    attempt = Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)
    attempt.quiz = quiz
    return attempt


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
