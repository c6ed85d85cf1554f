"""Reading and grading an answer given on /review/: pure rules on plain values, no queries.

The same rules as where the question was first answered: one choice for a one-answer or
true-or-false question, one or more for a several-answers one, all of them from the question
on screen, and right when the chosen set is exactly the right set (``practice.grading`` and
``quizzes.grading`` agree on it). A confidence is optional.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.confidence import parse_confidence
from practice.grading import grade

ONE_CHOICE = ("single", "true_false")


class ReviewRefused(Exception):
    """A review request that cannot be taken, with what to tell the learner and a status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ReviewAnswer:
    chosen: frozenset[int]
    confidence: str  # "" when not given
    is_correct: bool


def read_review(
    *,
    answer_kind: str,
    choice_ids: Collection[int],
    correct_ids: Collection[int],
    raw_choices: Sequence[str],
    raw_confidence: str | None,
) -> ReviewAnswer:
    """Check one posted review against the card's question; raise ReviewRefused (400) if bad."""
    confidence = parse_confidence(raw_confidence)
    if confidence is None:
        raise ReviewRefused("Choose how sure you are from sure, think so or guessing, or none.")
    picked = set()
    for raw in raw_choices:
        try:
            picked.add(int(raw))
        except (TypeError, ValueError):
            raise ReviewRefused("That answer is not one of this question's choices.") from None
    if not picked:
        raise ReviewRefused("Choose an answer first.")
    if not picked <= set(choice_ids):
        raise ReviewRefused("That answer is not one of this question's choices.")
    if answer_kind in ONE_CHOICE and len(picked) != 1:
        raise ReviewRefused("Choose one answer.")
    right = grade(answer_kind=answer_kind, correct_ids=correct_ids, choice_ids=picked)
    return ReviewAnswer(chosen=frozenset(picked), confidence=confidence, is_correct=bool(right))
