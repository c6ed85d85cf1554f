"""Item analysis of quiz questions over a team's first attempts.

For each question, over the members' first submitted attempt at its quiz:

- facility: the share who answered it right (0 to 1);
- discrimination: the facility among the upper 27 % of takers by the attempt's total score
  minus the facility among the lower 27 % (-1 to 1). Each group has ``round(0.27 * n)``
  takers, at least one; ties on the boundary are broken by user id so results are stable.
  It needs at least MIN_TAKERS_FOR_DISCRIMINATION takers, otherwise it is None;
- the wrong choice picked most often, and by how many;
- the confidently-wrong rate: the share who answered it wrong while saying they were sure
  (``core.confidence``), shown as "Sure but wrong": the misconceptions worth a conversation;
- plain-language flags, once at least MIN_ANSWERS_FOR_FLAGS members answered.

The dashboard says these in words, the statistic beside them in a tooltip: facility is "Got
it right" (a percentage), discrimination "Separates strong from weak" (``separation_word``:
good from 0.3, fair from 0.2, weak from 0, reversed below 0, the usual bands of the index),
the confidently-wrong rate "Sure but wrong".

With a question pool (``Quiz.draw_count``) a member's attempt holds only the questions it
drew: every share is over the members who were asked the question, and discrimination
compares the upper and lower groups' members who were asked it.

The functions here are pure: selectors.py fetches the rows and passes them in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.confidence import is_confidently_wrong
from quizzes.models import Choice, Question

GROUP_SHARE = 0.27
MIN_TAKERS_FOR_DISCRIMINATION = 4
MIN_ANSWERS_FOR_FLAGS = 3
# The dashboard names this many questions per quiz before its full table.
WORTH_A_LOOK = 3
MOSTLY_MISSED_BELOW = 0.5
TOO_EASY_FROM = 0.9
NEGATIVE_DISCRIMINATION_BELOW = 0.0
# Discrimination in words: the lowest value of each band, best first.
SEPARATION_BANDS = ((0.3, "good"), (0.2, "fair"), (0.0, "weak"))


@dataclass(frozen=True)
class Flag:
    key: str
    text: str
    tone: str  # a badge class suffix: ok, warn, bad, neutral


MOSTLY_MISSED = Flag("mostly-missed", "Most of the team misses this", "bad")
TOO_EASY = Flag("too-easy", "Too easy", "neutral")
STRONG_GET_IT_WRONG = Flag(
    "negative-discrimination", "Strong learners get it wrong: check the question", "warn"
)


@dataclass(frozen=True)
class Answer:
    """One member's response to one question in their first attempt."""

    user_id: int
    question_id: int
    is_correct: bool
    chosen_wrong: tuple[int, ...] = ()
    confidence: str = ""


@dataclass
class ItemStats:
    question: Question
    answered: int = 0
    right: int = 0
    sure_wrong: int = 0
    discrimination: float | None = None
    wrong_choice: Choice | None = None
    wrong_choice_count: int = 0
    flags: list[Flag] = field(default_factory=list)

    @property
    def facility(self) -> float | None:
        return self.right / self.answered if self.answered else None

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else round(100 * self.facility)

    @property
    def separation(self) -> str | None:
        """Discrimination in a word (``separation_word``); None while it cannot be computed."""
        return separation_word(self.discrimination)

    @property
    def confidently_wrong_rate(self) -> float | None:
        """The share of those asked who answered wrong while sure (0 to 1)."""
        return self.sure_wrong / self.answered if self.answered else None

    @property
    def confidently_wrong_percent(self) -> int | None:
        rate = self.confidently_wrong_rate
        return None if rate is None else round(100 * rate)


def separation_word(discrimination: float | None) -> str | None:
    """How well a question separates strong from weak learners: "good", "fair", "weak", or
    "reversed" when the weak get it right more often than the strong."""
    if discrimination is None:
        return None
    for lowest, word in SEPARATION_BANDS:
        if discrimination >= lowest:
            return word
    return "reversed"


def group_size(takers: int) -> int:
    return max(1, math.floor(GROUP_SHARE * takers + 0.5))


def upper_and_lower(scores: Mapping[int, int]) -> tuple[list[int], list[int]] | None:
    """The user ids in the upper and lower 27 % by score, or None with too few takers."""
    if len(scores) < MIN_TAKERS_FOR_DISCRIMINATION:
        return None
    ranked = sorted(scores, key=lambda user_id: (-scores[user_id], user_id))
    size = group_size(len(ranked))
    return ranked[:size], ranked[-size:]


def discrimination(
    given: Sequence[Answer], upper: Sequence[int], lower: Sequence[int]
) -> float | None:
    """Facility among the upper group minus that among the lower, each over its members who
    were asked the question (all of them, unless questions are drawn from a pool)."""
    asked = {answer.user_id: answer.is_correct for answer in given}
    upper_asked = [asked[user_id] for user_id in upper if user_id in asked]
    lower_asked = [asked[user_id] for user_id in lower if user_id in asked]
    if not upper_asked or not lower_asked:
        return None
    return sum(upper_asked) / len(upper_asked) - sum(lower_asked) / len(lower_asked)


def flags_for(item: ItemStats) -> list[Flag]:
    if item.answered < MIN_ANSWERS_FOR_FLAGS:
        return []
    flags = []
    if item.facility < MOSTLY_MISSED_BELOW:
        flags.append(MOSTLY_MISSED)
    if item.facility >= TOO_EASY_FROM:
        flags.append(TOO_EASY)
    if item.discrimination is not None and item.discrimination < NEGATIVE_DISCRIMINATION_BELOW:
        flags.append(STRONG_GET_IT_WRONG)
    return flags


def analyse_quiz(
    *,
    questions: Sequence[Question],
    choices: Mapping[int, Choice],
    answers: Sequence[Answer],
    scores: Mapping[int, int],
) -> list[ItemStats]:
    """Statistics for each of ``questions``.

    ``answers`` are the first-attempt responses to this quiz, ``scores`` each taker's total
    score on that attempt (user id -> score), ``choices`` the choices by id.
    """
    groups = upper_and_lower(scores)
    by_question: dict[int, list[Answer]] = {question.pk: [] for question in questions}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    items = []
    for question in questions:
        given = by_question[question.pk]
        item = ItemStats(
            question=question,
            answered=len(given),
            right=sum(1 for answer in given if answer.is_correct),
            sure_wrong=sum(
                1
                for answer in given
                if is_confidently_wrong(is_correct=answer.is_correct, confidence=answer.confidence)
            ),
        )
        if groups is not None:
            item.discrimination = discrimination(given, *groups)
        wrong = Counter(choice_id for answer in given for choice_id in answer.chosen_wrong)
        if wrong:
            # Most picked first; on a tie, the choice shown first.
            choice_id, count = min(
                wrong.items(), key=lambda kv: (-kv[1], choices[kv[0]].order, kv[0])
            )
            item.wrong_choice, item.wrong_choice_count = choices[choice_id], count
        item.flags = flags_for(item)
        items.append(item)
    return items


def worth_a_look(items: Sequence[ItemStats], limit: int = WORTH_A_LOOK) -> list[ItemStats]:
    """The questions most worth a conversation: answered by at least MIN_ANSWERS_FOR_FLAGS,
    with someone sure but wrong or a flag other than "too easy"; the most sure-but-wrong
    first, then the least often right, then in quiz order."""
    picked = [
        (position, item)
        for position, item in enumerate(items)
        if item.answered >= MIN_ANSWERS_FOR_FLAGS
        and (item.sure_wrong or any(flag is not TOO_EASY for flag in item.flags))
    ]
    picked.sort(key=lambda pair: (-pair[1].confidently_wrong_rate, pair[1].facility, pair[0]))
    return [item for _, item in picked[:limit]]
