"""How a block is shown: in a lesson (the ``[[check:…]]`` and ``[[predict:…]]`` embeds), on
its own page, and as the htmx region that answering swaps in.

``block_context`` builds the ``block`` partial's context (``templates/practice/block.html``)
in one of two states: the form, or an answer with its feedback (every choice's feedback and,
for a predict block, the outcome beside the prediction). The outcome, the feedback and which
choices are right are only in the context of an answered block, so a page never carries them
before the learner has answered.

``prefetch_blocks`` is registered with ``core.embeds`` for both kinds: the page's blocks and
their choices, the same for everyone, from the cache per content version (``core.shared``;
one query when they are not there), and one query for the learner's latest answers (none
for visitors). A block the learner has not answered shows a form that is the same for every
learner on the page but for its submission token and CSRF token: it is rendered once per
content version and page (``core.shared.fragment``), with a new token for each use.
"""

import uuid
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core import shared
from core.confidence import Confidence, is_confidently_wrong

from .models import Block, BlockAnswer
from .selectors import blocks_with_choices, latest_answers

EYEBROWS = {
    Block.Kind.CHECK: "Check your understanding",
    Block.Kind.PREDICT: "Predict, then reveal",
}
SUBMIT_LABELS = {Block.Kind.CHECK: "Check my answer", Block.Kind.PREDICT: "Reveal the outcome"}


@dataclass
class PagePractice:
    """The blocks a page embeds, by slug, and the learner's latest answer to each, by block id."""

    blocks: dict[str, Block] = field(default_factory=dict)
    answers: dict[int, BlockAnswer] = field(default_factory=dict)

    def tally(self, slugs) -> tuple[int, int]:
        """(answered, total) over the blocks of ``slugs`` that exist."""
        found = [self.blocks[slug] for slug in dict.fromkeys(slugs) if slug in self.blocks]
        return sum(1 for block in found if block.pk in self.answers), len(found)


def prefetch_blocks(request, slugs) -> PagePractice:
    """core.embeds prefetch: the page's blocks (kept per content version) and the learner's
    answers (one query)."""
    slugs = list(slugs)
    blocks = shared.facts(request, "blocks", tuple(slugs), lambda: blocks_with_choices(slugs))
    answers = latest_answers(user=request.user, block_ids=[b.pk for b in blocks.values()])
    return PagePractice(blocks=blocks, answers=answers)


def safe_next(request, value: str | None) -> str:
    """Where to go back to: a path on this site, or the catalog."""
    value = (value or "").strip()
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("courses:catalog")


def _choice_rows(block: Block, *, chosen: set[int], reveal: bool) -> list[dict]:
    rows = []
    for number, choice in enumerate(block.choice_list, start=1):
        row = {
            "id": choice.pk,
            "input_id": f"{block.anchor}-choice-{number}",
            "text": choice.text,
            "chosen": choice.pk in chosen,
        }
        if reveal:  # only once answered: which choices are right, and why
            row |= {"is_correct": choice.is_correct, "feedback": choice.feedback}
        rows.append(row)
    return rows


def _confidence_rows(block: Block, chosen: str) -> list[dict]:
    return [
        {
            "value": value,
            "label": label,
            "id": f"{block.anchor}-sure-{value}",
            "checked": value == chosen,
        }
        for value, label in Confidence.choices
    ]


def block_context(
    request,
    block: Block,
    *,
    next_url: str,
    answer: BlockAnswer | None = None,
    stored: bool = True,
    errors: list[str] | None = None,
    posted: dict | None = None,
    completed: bool = False,
    heading_level: int = 3,
) -> dict:
    """The ``block`` partial's context: the form (``answer`` None) or the answer and feedback.

    ``stored`` says whether the answer was kept (visitors' and previews' are not);
    ``posted`` refills the form after a refused answer (``choices``, ``text``, ``confidence``).
    """
    action = reverse("practice:answer", kwargs={"slug": block.slug})
    again = (
        reverse("practice:block", kwargs={"slug": block.slug}) + "?" + urlencode({"next": next_url})
    )
    ctx = {
        "block": block,
        "anchor": block.anchor,
        "eyebrow": EYEBROWS[block.kind],
        "h": heading_level,
        "is_predict": block.kind == Block.Kind.PREDICT,
        "next_url": next_url,
        "back_url": f"{next_url}#{block.anchor}",
        "signed_in": request.user.is_authenticated,
        "errors": errors or [],
    }
    if answer is None:
        posted = posted or {}
        chosen = {int(v) for v in posted.get("choices", []) if str(v).isdigit()}
        return ctx | {
            "state": "form",
            "action": action,
            "token": uuid.uuid4(),
            "input_type": "checkbox" if block.answer_kind == Block.AnswerKind.MULTIPLE else "radio",
            "choices": _choice_rows(block, chosen=chosen, reveal=False),
            "text": posted.get("text", ""),
            "max_text": Block.MAX_TEXT_ANSWER,
            "confidences": _confidence_rows(block, posted.get("confidence", "")),
            "submit_label": SUBMIT_LABELS[block.kind],
        }
    chosen = getattr(answer, "chosen_ids", set())
    return ctx | {
        "state": "answered",
        "answer": answer,
        "stored": stored,
        "choices": _choice_rows(block, chosen=chosen, reveal=True),
        "right": answer.is_correct,
        "confidence_label": Confidence(answer.confidence).label if answer.confidence else "",
        "confidently_wrong": answer.is_correct is not None
        and is_confidently_wrong(is_correct=answer.is_correct, confidence=answer.confidence),
        "again_url": again,
        "completed": completed,
    }


def render_block(request, block: Block, **kwargs) -> str:
    return render_to_string(
        "practice/block.html#block", {"b": block_context(request, block, **kwargs)}, request=request
    )


def _embed(kind: str):
    """The render function of the ``kind`` embed: the block from the page's prefetch."""

    def render(request, slug: str, *, index: int, prefetched: PagePractice | None = None) -> str:
        practice = prefetched if prefetched is not None else prefetch_blocks(request, [slug])
        block = practice.blocks.get(slug)
        context = {
            "kind": kind,
            "slug": slug,
            "with_assets": not getattr(request, "_practice_assets_sent", False),
        }
        request._practice_assets_sent = True
        if block is None or block.kind != kind:
            return render_to_string("practice/block.html#missing", context, request=request)
        answer = practice.answers.get(block.pk)

        def rendered(**fresh):
            b = block_context(request, block, next_url=request.path, answer=answer) | fresh
            return render_to_string(
                "practice/block.html#embed", context | {"b": b}, request=request
            )

        if answer is not None:
            return rendered()
        # An unanswered block's form is the same for everyone on this page but for its tokens.
        signed_in = request.user.is_authenticated
        key = shared.key(request, "block-form", kind, slug, request.path, signed_in, context)
        return shared.fragment(request, key, rendered, fresh={"token": lambda: str(uuid.uuid4())})

    render.__name__ = f"render_{kind}_embed"
    return render


render_check_embed = _embed(Block.Kind.CHECK)
render_predict_embed = _embed(Block.Kind.PREDICT)


def exists_for(kind: str):
    def exists(slug: str) -> bool:
        return Block.objects.filter(slug=slug, kind=kind).exists()

    return exists


def label_for(kind: str):
    """The admin preview's label for ``[[kind:slug]]``: which block it is, or that none is."""

    def label(slug: str) -> str:
        block = Block.objects.filter(slug=slug, kind=kind).only("kind", "title").first()
        name = Block.Kind(kind).label
        return f"{name} “{block.title}”" if block else f"{name} (no such block yet)"

    return label
