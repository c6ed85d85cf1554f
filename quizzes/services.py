"""Writes of the quizzes app: issuing a learner's attempt and submitting it exactly once.

An attempt is issued when a learner opens a quiz and is reused until it is submitted, so a
reload shows the same (possibly shuffled) order. A database constraint allows one open attempt
per learner and quiz; two pages opened at the same moment share it.

``submit_attempt`` validates the answers, grades them (``quizzes.grading``) and finalises the
attempt inside one transaction with a conditional update, so the same attempt posted twice
(or twice at once) is graded once; it returns the grade so callers never grade again.
"""

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .attempts import attempts_left
from .grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    Grade,
    grade_answers,
    validate_answers,
)
from .models import Attempt, Question, Quiz, Response


@dataclass(frozen=True)
class Submission:
    """A submitted attempt (with its result set) and the grade it got."""

    attempt: Attempt
    grade: Grade


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


def submit_attempt(
    *,
    attempt: Attempt,
    answers: Mapping[int, Collection[int]],
    questions: Sequence[Question] | None = None,
) -> Submission:
    """Validate, grade and finalise ``attempt`` exactly once; return it with its grade.

    ``answers`` maps question ids to chosen choice ids. ``questions`` (with ``choices``
    prefetched) saves the queries when the caller has them already. Raises a SubmissionError
    and saves nothing when the answers are incomplete or forged, the attempt was submitted
    before (even by a request running at the same moment) or the quiz's attempts are used up.
    """
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted()
    quiz = attempt.quiz
    if questions is None:
        questions = list(quiz.questions.prefetch_related("choices"))
    cleaned = validate_answers(questions, answers)
    grade = grade_answers(questions=questions, answers=cleaned, pass_percent=quiz.pass_percent)
    now = timezone.now()
    with transaction.atomic():
        if quiz.max_attempts:
            used = Attempt.objects.filter(
                user_id=attempt.user_id, quiz_id=quiz.pk, submitted_at__isnull=False
            ).count()
            if used >= quiz.max_attempts:
                raise AttemptLimitReached(quiz.max_attempts)
        # The condition makes the second of two concurrent submissions update nothing: on
        # PostgreSQL it waits for the first one's row lock, then sees submitted_at set.
        finalised = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=now,
            score=grade.score,
            total=grade.total,
            percent=grade.percent,
            passed=grade.passed,
        )
        if finalised != 1:
            raise AttemptAlreadySubmitted()
        responses = Response.objects.bulk_create(
            Response(
                attempt_id=attempt.pk, question_id=item.question_id, is_correct=item.is_correct
            )
            for item in grade.questions
        )
        Response.chosen.through.objects.bulk_create(
            Response.chosen.through(response_id=response.pk, choice_id=choice_id)
            for response, item in zip(responses, grade.questions, strict=True)
            for choice_id in sorted(item.chosen)
        )
    attempt.submitted_at = now
    attempt.score, attempt.total = grade.score, grade.total
    attempt.percent, attempt.passed = grade.percent, grade.passed
    return Submission(attempt=attempt, grade=grade)
