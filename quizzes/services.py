"""Writes of the quizzes app: issuing a learner's attempt and submitting it exactly once.

An attempt is issued when a learner opens a quiz and is reused until it is submitted, so a
reload shows the same (possibly shuffled) order. A database constraint allows one open attempt
per learner and quiz; two pages opened at the same moment share it.

``submit_attempt`` validates the answers, grades them (``quizzes.grading``) and finalises the
attempt inside one transaction with a conditional update, so the same attempt posted twice
(or twice at once) is graded once; it returns the grade so callers never grade again.

Every graded answer is announced with ``core.events.answer_recorded`` (source "quiz") once its
transaction commits: an exam's answers together when it is submitted, a practice answer when
it is saved. Whether it is the learner's first try at the question comes from their earlier
attempts (``quizzes.attempts.answered_before``), which callers pass when they have them.
"""

import datetime
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events

from .attempts import (
    answered_before,
    arrange,
    attempts_left,
    deal,
    minutes_until,
    retry_available_at,
    wait_message,
)
from .grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    Grade,
    QuestionGrade,
    RetryTooSoon,
    UnansweredQuestions,
    grade_answers,
    is_answer_right,
    validate_answers,
)
from .models import Attempt, Question, Quiz, Response


@dataclass(frozen=True)
class Submission:
    """A submitted attempt (with its result set) and the grade it got."""

    attempt: Attempt
    grade: Grade


class QuestionAlreadyAnswered(Exception):
    """A practice question answered before (a double submit): the first answer stands."""


def issue_attempt(
    *,
    user,
    quiz: Quiz,
    questions: Sequence[Question],
    attempts: Sequence[Attempt],
    now: datetime.datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Return the learner's open attempt at ``quiz``, issuing a new one if there is none.

    ``attempts`` are the learner's attempts at this quiz, already loaded. Raises
    AttemptLimitReached when every allowed attempt has been submitted, and RetryTooSoon
    during the quiz's wait after the last one. A new attempt gets its paper from
    ``quizzes.attempts.deal`` and the quiz's current mode.
    """
    for attempt in attempts:
        if not attempt.is_submitted:
            return attempt
    if attempts_left(quiz, attempts) == 0:
        raise AttemptLimitReached(quiz.max_attempts)
    now = now or timezone.now()
    available = retry_available_at(quiz, attempts, now=now)
    if available is not None:
        raise RetryTooSoon(
            wait_message(available, now=now), minutes=minutes_until(available, now=now)
        )
    paper = deal(quiz, questions, rng=rng)
    # If another request from the same learner issued the open attempt a moment ago, the
    # one-open-attempt constraint skips this insert and both requests share that attempt.
    Attempt.objects.bulk_create(
        [
            Attempt(
                user=user,
                quiz=quiz,
                mode=quiz.mode,
                question_order=paper.question_order,
                choice_order=paper.choice_order,
                is_drawn=paper.is_drawn,
            )
        ],
        ignore_conflicts=True,
    )
    attempt = Attempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)
    attempt.quiz = quiz
    return attempt


def _finalise(attempt: Attempt, grade: Grade, now: datetime.datetime) -> None:
    """Inside a transaction: check the limit and mark the attempt graded, exactly once."""
    quiz = attempt.quiz
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


def _mark_submitted(attempt: Attempt, grade: Grade, now: datetime.datetime) -> Submission:
    attempt.submitted_at = now
    attempt.score, attempt.total = grade.score, grade.total
    attempt.percent, attempt.passed = grade.percent, grade.passed
    return Submission(attempt=attempt, grade=grade)


def _earlier_attempts(attempt: Attempt, earlier: Sequence[Attempt] | None) -> list[Attempt]:
    if earlier is not None:
        return list(earlier)
    return list(
        Attempt.objects.filter(
            user_id=attempt.user_id, quiz_id=attempt.quiz_id, submitted_at__isnull=False
        ).exclude(pk=attempt.pk)
    )


def _announce(
    *,
    attempt: Attempt,
    graded: Sequence[QuestionGrade],
    questions: Sequence[Question],
    earlier: Sequence[Attempt] | None,
    now: datetime.datetime,
) -> None:
    """Announce each graded answer of ``attempt`` once the transaction commits."""
    asked = answered_before(attempt, _earlier_attempts(attempt, earlier))
    by_id = {question.pk: question for question in questions}
    events.announce(
        [
            events.Answer(
                user=attempt.user, item=by_id[item.question_id], is_correct=item.is_correct,
                confidence=item.confidence, answered_at=now,
                first_try=asked is not None and item.question_id not in asked, source="quiz",
            )  # fmt: skip
            for item in graded
        ],
        sender=Question,
    )


def submit_attempt(
    *,
    attempt: Attempt,
    answers: Mapping[int, Collection[int]],
    questions: Sequence[Question] | None = None,
    confidences: Mapping[int, str] | None = None,
    earlier: Sequence[Attempt] | None = None,
) -> Submission:
    """Validate, grade and finalise ``attempt`` exactly once; return it with its grade.

    ``answers`` maps question ids to chosen choice ids, ``confidences`` question ids to a
    valid confidence. ``questions`` (arranged for the attempt, with ``choices`` prefetched)
    saves the queries when the caller has them already, as ``earlier`` (the learner's attempts
    at the quiz) does for the first-try flags of the announced answers. Raises a SubmissionError and saves
    nothing when the answers are incomplete or forged, the attempt was submitted before (even
    by a request running at the same moment) or the quiz's attempts are used up.
    """
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted()
    quiz = attempt.quiz
    if questions is None:
        questions = arrange(list(quiz.questions.prefetch_related("choices")), attempt)
    cleaned = validate_answers(questions, answers)
    grade = grade_answers(
        questions=questions,
        answers=cleaned,
        pass_percent=quiz.pass_percent,
        confidences=confidences,
    )
    now = timezone.now()
    with transaction.atomic():
        _finalise(attempt, grade, now)
        responses = Response.objects.bulk_create(
            Response(
                attempt_id=attempt.pk,
                question_id=item.question_id,
                is_correct=item.is_correct,
                confidence=item.confidence,
            )
            for item in grade.questions
        )
        Response.chosen.through.objects.bulk_create(
            Response.chosen.through(response_id=response.pk, choice_id=choice_id)
            for response, item in zip(responses, grade.questions, strict=True)
            for choice_id in sorted(item.chosen)
        )
        _announce(
            attempt=attempt, graded=grade.questions, questions=questions, earlier=earlier, now=now
        )
    return _mark_submitted(attempt, grade, now)


def answer_question(
    *,
    attempt: Attempt,
    question: Question,
    chosen: Collection[int],
    confidence: str,
    earlier: Sequence[Attempt] | None = None,
) -> QuestionGrade:
    """Save one practice answer in the open ``attempt`` and return how it went.

    ``question`` has ``choices`` prefetched; ``confidence`` is already valid; ``earlier`` are
    the learner's attempts at the quiz if loaded (for the announced answer's first try). Raises
    InvalidAnswers or UnansweredQuestions (nothing saved), AttemptAlreadySubmitted, or
    QuestionAlreadyAnswered when the question has a response already (a double submit, even
    at the same moment: the database keeps one response per question and attempt).
    """
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted()
    chosen = validate_answers([question], {question.pk: chosen})[question.pk]
    right = frozenset(choice.pk for choice in question.choices.all() if choice.is_correct)
    grade = QuestionGrade(
        question_id=question.pk,
        chosen=chosen,
        right=right,
        is_correct=is_answer_right(question.kind, chosen, right),
        confidence=confidence,
    )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                attempt_id=attempt.pk,
                question_id=question.pk,
                is_correct=grade.is_correct,
                confidence=confidence,
            )
            Response.chosen.through.objects.bulk_create(
                Response.chosen.through(response_id=response.pk, choice_id=choice_id)
                for choice_id in sorted(chosen)
            )
            _announce(
                attempt=attempt, graded=[grade], questions=[question], earlier=earlier,
                now=timezone.now(),
            )  # fmt: skip
    except IntegrityError as clash:
        raise QuestionAlreadyAnswered() from clash
    return grade


def finish_practice(
    *, attempt: Attempt, questions: Sequence[Question], answered: Mapping[int, QuestionGrade]
) -> Submission:
    """Grade a practice attempt from its stored answers and finalise it exactly once.

    ``questions`` are arranged for the attempt; ``answered`` maps question ids to the
    answers stored so far (``quizzes.selectors.stored_answers``). Raises
    UnansweredQuestions while any question has no answer, and the errors of submit_attempt.
    """
    if attempt.is_submitted:
        raise AttemptAlreadySubmitted()
    missing = [question.pk for question in questions if question.pk not in answered]
    if missing:
        raise UnansweredQuestions(missing)
    grade = grade_answers(
        questions=questions,
        answers={pk: item.chosen for pk, item in answered.items()},
        pass_percent=attempt.quiz.pass_percent,
        confidences={pk: item.confidence for pk, item in answered.items()},
    )
    now = timezone.now()
    with transaction.atomic():
        _finalise(attempt, grade, now)
    return _mark_submitted(attempt, grade, now)
