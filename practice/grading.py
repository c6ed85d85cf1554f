"""Reading and grading an answer to a block: pure rules on plain values, no queries.

``read_answer`` turns what a form sent into a ``Submission`` or refuses it with an
``AnswerRefused`` carrying a message for the learner and an HTTP status; ``grade`` says
whether a submission is right (None for an answer in the learner's own words, which has no
right or wrong). The view refuses before anything is stored, so a bad form saves nothing.
"""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.confidence import parse_confidence


class AnswerRefused(Exception):
    """A submitted answer that cannot be taken, with what to tell the learner."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Submission:
    """A checked answer: the chosen choice ids (sorted), the text, the confidence and token."""

    choice_ids: tuple[int, ...]
    text: str
    confidence: str  # "" when not given
    token: uuid.UUID


def read_token(raw: str | None) -> uuid.UUID:
    try:
        return uuid.UUID((raw or "").strip())
    except ValueError:
        raise AnswerRefused(
            "This form is missing its submission token. Reload the page and answer again."
        ) from None


def read_answer(
    *,
    answer_kind: str,
    choice_ids: Collection[int],
    raw_choices: Sequence[str],
    raw_text: str | None,
    raw_confidence: str | None,
    raw_token: str | None,
    max_text: int,
) -> Submission:
    """Check one posted answer against the block's answer kind and its own choice ids."""
    token = read_token(raw_token)
    confidence = parse_confidence(raw_confidence)
    if confidence is None:
        raise AnswerRefused("Choose how sure you are from sure, think so or guessing, or none.")
    if answer_kind == "text":
        text = (raw_text or "").replace("\r\n", "\n").strip()
        if raw_choices:
            raise AnswerRefused("This block asks for your own words, not a choice.")
        if not text:
            raise AnswerRefused("Write your prediction before revealing the outcome.")
        if len(text) > max_text:
            raise AnswerRefused(f"Keep your answer under {max_text:,} characters.")
        return Submission(choice_ids=(), text=text, confidence=confidence, token=token)

    picked = set()
    for raw in raw_choices:
        try:
            picked.add(int(raw))
        except (TypeError, ValueError):
            raise AnswerRefused("That answer is not one of this question's choices.") from None
    if not picked:
        raise AnswerRefused("Choose an answer first.")
    if not picked <= set(choice_ids):
        raise AnswerRefused("That answer is not one of this question's choices.")
    if answer_kind in ("single", "true_false") and len(picked) != 1:
        raise AnswerRefused("Choose one answer.")
    if (raw_text or "").strip():
        raise AnswerRefused("This question is answered by choosing, not by writing.")
    return Submission(choice_ids=tuple(sorted(picked)), text="", confidence=confidence, token=token)


def grade(
    *, answer_kind: str, correct_ids: Collection[int], choice_ids: Collection[int]
) -> bool | None:
    """Right when the chosen set is exactly the right set; None for an answer in words."""
    if answer_kind == "text":
        return None
    return set(choice_ids) == set(correct_ids)
