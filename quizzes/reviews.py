"""The review of graded answers, question by question, and the words it uses.

Pure: built from arranged questions and what the learner chose. Each question's review says
what the learner chose (each choice marked right or not, with its feedback), the right
answer(s) once when the answer was wrong, how sure the learner said they were, and the
explanation (in the template). Choice texts are quoted, and a sentence never ends in doubled
punctuation when a quoted text ends with its own full stop.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from core.confidence import Confidence, certainty_percent, is_confidently_wrong

from .models import Question

CONFIDENTLY_WRONG = "You were sure, and this was wrong."
CERTAINTY_EXPLAINED = (
    "The certainty-based score also weighs how sure you said you were: a right answer earns "
    "more the surer you were, and a wrong answer you were sure of costs marks."
)
CERTAINTY_WITHOUT_CONFIDENCE = (
    "You did not say how sure you were, so every answer counted as a guess."
)


def quoted(text: str) -> str:
    return f"“{text.strip()}”"


def sentence(text: str) -> str:
    """``text`` with a full stop, unless it already ends with one (inside a quote or not)."""
    return text if text.rstrip("”’\"'").endswith((".", "?", "!")) else f"{text}."


def and_list(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class ChoiceReview:
    text: str
    is_correct: bool
    chosen: bool
    feedback: str

    @property
    def verdict(self) -> str:
        """'“Format compliance”: right.'"""
        return f"{quoted(self.text)}: {'right' if self.is_correct else 'not right'}."


@dataclass(frozen=True)
class QuestionReview:
    number: int
    question: Question
    is_correct: bool
    choices: tuple[ChoiceReview, ...]
    confidence: str = ""

    @property
    def chosen(self) -> list[ChoiceReview]:
        return [choice for choice in self.choices if choice.chosen]

    @property
    def right(self) -> list[ChoiceReview]:
        return [choice for choice in self.choices if choice.is_correct]

    @property
    def key(self) -> str:
        """The right answer(s), said once, when the learner's answer was wrong; else ''."""
        if self.is_correct or not self.right:
            return ""
        texts = and_list([quoted(choice.text) for choice in self.right])
        if len(self.right) == 1:
            return sentence(f"The right answer is {texts}")
        return sentence(f"The right answers are {texts}")

    @property
    def confidence_label(self) -> str:
        return Confidence(self.confidence).label if self.confidence else ""

    @property
    def confidently_wrong(self) -> bool:
        return is_confidently_wrong(is_correct=self.is_correct, confidence=self.confidence)


def build_reviews(
    questions: Sequence[Question],
    chosen: Mapping[int, Collection[int]],
    correct: Mapping[int, bool],
    confidences: Mapping[int, str] | None = None,
) -> list[QuestionReview]:
    """Reviews of the arranged ``questions`` that have an entry in ``correct``."""
    confidences = confidences or {}
    reviews = []
    for question in questions:
        if question.pk not in correct:
            continue
        picked = chosen.get(question.pk, frozenset())
        reviews.append(
            QuestionReview(
                number=len(reviews) + 1,
                question=question,
                is_correct=correct[question.pk],
                confidence=confidences.get(question.pk, ""),
                choices=tuple(
                    ChoiceReview(
                        text=choice.text,
                        is_correct=choice.is_correct,
                        chosen=choice.pk in picked,
                        feedback=choice.feedback,
                    )
                    for choice in question.shown_choices
                ),
            )
        )
    return reviews


@dataclass(frozen=True)
class Certainty:
    """The certainty-based score of a set of reviewed answers, and the sentence explaining it."""

    percent: int | None
    confidence_given: bool
    confidently_wrong: int

    @property
    def explanation(self) -> str:
        if self.confidence_given:
            return CERTAINTY_EXPLAINED
        return f"{CERTAINTY_EXPLAINED} {CERTAINTY_WITHOUT_CONFIDENCE}"


def certainty(reviews: Sequence[QuestionReview]) -> Certainty:
    return Certainty(
        percent=certainty_percent((review.is_correct, review.confidence) for review in reviews),
        confidence_given=any(review.confidence for review in reviews),
        confidently_wrong=sum(1 for review in reviews if review.confidently_wrong),
    )
