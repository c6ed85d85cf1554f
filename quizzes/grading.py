"""Grading: the rules for a right answer, and submitting an attempt exactly once.

The rules are pure functions of ids: a ``single`` or ``true_false`` question is answered
right when exactly its one right choice is chosen; a ``multiple`` question when the chosen set
equals the set of right choices (a partial set is wrong). The score counts right questions;
``percent`` is rounded down, so it never overstates a result, and the attempt passes when
``percent >= quiz.pass_percent``. An empty quiz scores 0 of 0 and is not passed. Beside the
plain score, ``certainty_percent`` marks the same answers by how sure the learner said they
were (``core.confidence``); it never decides passing.

Submitting an attempt (the write) is ``quizzes.services.submit_attempt``.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.confidence import certainty_percent, is_confidently_wrong

from .models import Question


class SubmissionError(Exception):
    """A submission that cannot be graded; the message is fit to show the learner."""


class InvalidAnswers(SubmissionError):
    """The answers name choices that are not on offer: a forged or stale form."""


class UnansweredQuestions(SubmissionError):
    """Some questions have no answer; ``question_ids`` says which."""

    def __init__(self, question_ids: Iterable[int]):
        self.question_ids = frozenset(question_ids)
        count = len(self.question_ids)
        super().__init__(
            "Answer every question before submitting: "
            f"{count} question{'s are' if count != 1 else ' is'} unanswered."
        )


class AttemptAlreadySubmitted(SubmissionError):
    """The attempt was graded before; it is never graded again."""

    def __init__(self):
        super().__init__("This attempt was already submitted, so it was graded only once.")


class AttemptLimitReached(SubmissionError):
    """The learner has used every attempt the quiz allows."""

    def __init__(self, max_attempts: int):
        self.max_attempts = max_attempts
        super().__init__(
            f"You have used all {max_attempts} attempt{'s' if max_attempts != 1 else ''} "
            "this quiz allows."
        )


class RetryTooSoon(SubmissionError):
    """The quiz asks for a wait between attempts, and it has not passed yet."""

    def __init__(self, message: str, *, minutes: int):
        self.minutes = minutes
        super().__init__(message)


@dataclass(frozen=True)
class QuestionGrade:
    question_id: int
    chosen: frozenset[int]
    right: frozenset[int]
    is_correct: bool
    confidence: str = ""

    @property
    def confidently_wrong(self) -> bool:
        return is_confidently_wrong(is_correct=self.is_correct, confidence=self.confidence)


@dataclass(frozen=True)
class Grade:
    score: int
    total: int
    percent: int
    passed: bool
    questions: tuple[QuestionGrade, ...]

    @property
    def certainty_percent(self) -> int | None:
        return certainty_percent((item.is_correct, item.confidence) for item in self.questions)


def is_answer_right(kind: str, chosen: Collection[int], right: Collection[int]) -> bool:
    """Whether choosing ``chosen`` answers a question of ``kind`` whose right choices are ``right``."""
    chosen, right = frozenset(chosen), frozenset(right)
    if kind == Question.Kind.MULTIPLE:
        return bool(right) and chosen == right
    return len(right) == 1 and chosen == right


def percent_of(score: int, total: int) -> int:
    """The score as a whole percentage, rounded down; 0 for an empty quiz."""
    return score * 100 // total if total else 0


def has_passed(score: int, total: int, pass_percent: int) -> bool:
    return total > 0 and percent_of(score, total) >= pass_percent


def grade_answers(
    *,
    questions: Sequence[Question],
    answers: Mapping[int, Collection[int]],
    pass_percent: int,
    confidences: Mapping[int, str] | None = None,
) -> Grade:
    """Grade validated answers (question id to chosen choice ids) for these questions.

    Each question's ``choices`` should be prefetched; a missing answer counts as wrong.
    ``confidences`` maps question ids to a valid confidence ("" or missing: not given).
    """
    confidences = confidences or {}
    graded = []
    for question in questions:
        right = frozenset(choice.pk for choice in question.choices.all() if choice.is_correct)
        chosen = frozenset(answers.get(question.pk, ()))
        graded.append(
            QuestionGrade(
                question_id=question.pk,
                chosen=chosen,
                right=right,
                is_correct=is_answer_right(question.kind, chosen, right),
                confidence=confidences.get(question.pk, ""),
            )
        )
    score, total = sum(1 for grade in graded if grade.is_correct), len(graded)
    return Grade(
        score=score,
        total=total,
        percent=percent_of(score, total),
        passed=has_passed(score, total, pass_percent),
        questions=tuple(graded),
    )


def validate_answers(
    questions: Sequence[Question], answers: Mapping[int, Collection[int]]
) -> dict[int, frozenset[int]]:
    """Check answers against the questions on offer and return them as sets of choice ids.

    Raises InvalidAnswers for anything a real form cannot send (an unknown question, a choice
    of another question, several choices for a one-answer question), and then
    UnansweredQuestions naming every question left blank.
    """
    by_id = {question.pk: question for question in questions}
    for question_id in answers:
        if question_id not in by_id:
            raise InvalidAnswers("The answers name a question that is not part of this quiz.")
    cleaned, unanswered = {}, []
    for number, question in enumerate(questions, start=1):
        chosen = frozenset(answers.get(question.pk, ()))
        offered = {choice.pk for choice in question.choices.all()}
        if not chosen <= offered:
            raise InvalidAnswers(f"Question {number}: that choice does not belong to the question.")
        if len(chosen) > 1 and question.kind != Question.Kind.MULTIPLE:
            raise InvalidAnswers(f"Question {number} takes one answer, but several were sent.")
        if not chosen:
            unanswered.append(question.pk)
        cleaned[question.pk] = chosen
    if unanswered:
        raise UnansweredQuestions(unanswered)
    return cleaned
