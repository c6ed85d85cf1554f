"""Confidence on an answer, and certainty-based marking: one rule for checks, predictions and quizzes.

Every answer a learner gives may carry how sure they were: "sure", "think so" or "guessing"
(optional, one click). Certainty-based marking (Gardner-Medwin's scheme, used in medical
schools) rewards knowing what you know: a right answer scores more the surer you were, and a
wrong answer given as "sure" costs more than it would have earned.

| confidence | right | wrong |
|---|---:|---:|
| sure | 3 | -6 |
| think so | 2 | -2 |
| guessing | 1 | 0 |
| not given | 1 | 0 |  (counted as a guess)

A **confidently wrong** answer is a wrong one given as "sure": the misconceptions worth a
learner's and a manager's attention. ``certainty_percent`` puts a set of answers on the same
0-100 scale as a plain score: the marks earned as a share of the most that could be earned
(every answer right and sure), never below 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Confidence(models.TextChoices):
    SURE = "sure", "Sure"
    THINK_SO = "think_so", "Think so"
    GUESSING = "guessing", "Guessing"


MARKS: dict[str, tuple[int, int]] = {
    Confidence.SURE: (3, -6),
    Confidence.THINK_SO: (2, -2),
    Confidence.GUESSING: (1, 0),
    "": (1, 0),
}
BEST_MARK = 3


def parse_confidence(value: str | None) -> str | None:
    """The stored value for a submitted confidence: "" when none was given, None when invalid."""
    value = (value or "").strip()
    if value == "":
        return ""
    return value if value in Confidence.values else None


def mark(*, is_correct: bool, confidence: str) -> int:
    """The certainty-based mark of one answer."""
    right, wrong = MARKS.get(confidence, MARKS[""])
    return right if is_correct else wrong


def is_confidently_wrong(*, is_correct: bool, confidence: str) -> bool:
    return not is_correct and confidence == Confidence.SURE


def certainty_percent(answers: Iterable[tuple[bool, str]]) -> int | None:
    """Marks earned over the best possible, as a whole percentage rounded down (0 at worst).

    ``answers`` are (is_correct, confidence) pairs; None when there are none.
    """
    answers = list(answers)
    if not answers:
        return None
    earned = sum(mark(is_correct=right, confidence=sure) for right, sure in answers)
    return max(0, 100 * earned // (BEST_MARK * len(answers)))
