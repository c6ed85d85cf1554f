"""What the review page shows of a card: its question as a form, or the feedback on a review.

Built from the card's own question, a practice block's or a quiz question's, with the texts
and per-choice feedback authored there. A quiz question's right answer is shown after a
review too: the learner answered it before, in a submitted attempt.
"""

from django.urls import reverse

from core.confidence import Confidence

from .models import Card, ReviewLog

KIND_LABELS = {"single": "choose one", "true_false": "choose one", "multiple": "choose all that apply"}


def item_facts(card: Card) -> dict:
    """The texts of ``card``'s question, the same for a block and a quiz question."""
    if card.block_id:
        block = card.block
        return {
            "answer_kind": block.answer_kind,
            "title": block.title,
            "source": f"{block.get_kind_display()} in {block.course.title}",
            "scenario_html": block.scenario_html,
            "prompt_html": block.prompt_html,
            "explanation_html": block.explanation_html,
            "choices": list(block.choices.all()),
        }
    question = card.question
    return {
        "answer_kind": question.kind,
        "title": "",
        "source": f"Quiz “{question.quiz.title}” in {question.quiz.course.title}",
        "scenario_html": "",
        "prompt_html": question.prompt_html,
        "explanation_html": question.explanation_html,
        "choices": list(question.choices.all()),
    }


def correct_ids(facts: dict) -> set[int]:
    return {choice.pk for choice in facts["choices"] if choice.is_correct}


def confidence_rows(prefix: str, checked: str = "") -> list[dict]:
    return [
        {"value": value, "label": label, "id": f"{prefix}-sure-{value}", "checked": value == checked}
        for value, label in Confidence.choices
    ]


def card_form(card: Card, *, posted: dict | None = None) -> dict:
    """The form answering ``card``; ``posted`` refills it after a refused answer."""
    facts = item_facts(card)
    posted = posted or {}
    chosen = {int(v) for v in posted.get("choices", []) if str(v).isdigit()}
    anchor = f"card-{card.pk}"
    return facts | {
        "card": card,
        "anchor": anchor,
        "action": reverse("review:answer", kwargs={"card": card.pk}),
        "snooze_action": reverse("review:snooze", kwargs={"card": card.pk}),
        "input_type": "checkbox" if facts["answer_kind"] == "multiple" else "radio",
        "legend": f"Your answer: {KIND_LABELS.get(facts['answer_kind'], 'choose one')}",
        "choice_rows": [
            {"id": c.pk, "text": c.text, "input_id": f"{anchor}-choice-{c.pk}", "chosen": c.pk in chosen}
            for c in facts["choices"]
        ],
        "confidences": confidence_rows(anchor, posted.get("confidence", "")),
    }


def review_feedback(log: ReviewLog, card: Card) -> dict:
    """Feedback on one review: right or not, and every choice with its feedback."""
    facts = item_facts(card)
    chosen = set(log.chosen)
    return facts | {
        "right": log.is_correct,
        "confidence_label": Confidence(log.confidence).label if log.confidence else "",
        "confidently_wrong": not log.is_correct and log.confidence == Confidence.SURE,
        "next_due": card.due,
        "result_rows": [
            {"text": c.text, "chosen": c.pk in chosen, "is_correct": c.is_correct, "feedback": c.feedback}
            for c in facts["choices"]
        ],
    }
