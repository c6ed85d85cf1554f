"""A block on its own page (a fresh form: "Try again"), and answering a block.

Answering works with htmx (the block region is swapped for the answer and its feedback) and
without it (a form POST, then a 303 back to the lesson at the block's anchor, where the stored
answer shows). Visitors who are not logged in, and staff previewing a draft course, get the
feedback without anything being stored: with htmx the region, without it a small page with
the block, its feedback and a link back to the lesson.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import can_preview_drafts
from core.refusals import refusal_status

from . import services
from .blocks import block_context, safe_next
from .grading import AnswerRefused, grade, read_answer
from .models import Block, BlockAnswer
from .selectors import blocks_with_choices

PAGE = "practice/page.html"


def _visible_block(request, slug: str) -> Block:
    """The block with its choices, or 404; a draft course's blocks only for those who preview."""
    block = blocks_with_choices([slug], with_course=True).get(slug)
    if block is None:
        raise Http404("No such block.")
    if not block.course_published and not can_preview_drafts(request.user, Block):
        raise Http404("No such block.")
    return block


def _page_tally(next_url: str, tallies) -> dict | None:
    """The "k of n answered" of the lesson the learner answered on, if it is one of ``tallies``."""
    try:
        match = resolve(next_url.split("?")[0])
    except Resolver404:
        return None
    if match.view_name != "lessons:detail":
        return None
    for tally in tallies:
        if (tally.course_slug, tally.slug) == (match.kwargs["course"], match.kwargs["lesson"]):
            return {"answered": tally.answered, "total": tally.total}
    return None


def _respond(request, block, *, status=200, tally=None, **kwargs):
    """The block region for htmx (with the lesson's tally out of band), else the block's page."""
    next_url = kwargs.pop("next_url")
    level = 3 if request.htmx else 2
    b = block_context(request, block, next_url=next_url, heading_level=level, **kwargs)
    b["focus"] = bool(request.htmx)
    template = PAGE + ("#block" if request.htmx else "")
    # The page's own URL may be the POST-only answer URL: log-in links lead back to the lesson.
    context = {"b": b, "tally": tally, "login_next": next_url}
    return render(request, template, context, status=status)


@require_GET
def block(request, slug):
    """A fresh form for the block ("Try again"): its region for htmx, else its own page."""
    target = _visible_block(request, slug)
    return _respond(request, target, next_url=safe_next(request, request.GET.get("next")))


@require_POST
def answer(request, slug):
    target = _visible_block(request, slug)
    next_url = safe_next(request, request.POST.get("next"))
    posted = {
        "choices": request.POST.getlist("choice"),
        "text": request.POST.get("text", ""),
        "confidence": request.POST.get("confidence", ""),
    }
    try:
        submission = read_answer(
            answer_kind=target.answer_kind,
            choice_ids={choice.pk for choice in target.choice_list},
            raw_choices=posted["choices"],
            raw_text=request.POST.get("text"),
            raw_confidence=request.POST.get("confidence"),
            raw_token=request.POST.get("token"),
            max_text=Block.MAX_TEXT_ANSWER,
        )
        if request.user.is_authenticated and target.course_published:
            stored = services.answer_block(user=request.user, block=target, submission=submission)
        else:
            stored = None
    except AnswerRefused as refused:
        return _respond(
            request, target, status=refusal_status(request, refused.status), next_url=next_url, errors=[refused.message],
            posted=posted,
        )  # fmt: skip
    if stored is None:  # a visitor, or a preview: graded, shown, not kept
        correct = {choice.pk for choice in target.choice_list if choice.is_correct}
        unsaved = BlockAnswer(
            block=target, text=submission.text, confidence=submission.confidence,
            is_correct=grade(answer_kind=target.answer_kind, correct_ids=correct,
                             choice_ids=submission.choice_ids),
        )  # fmt: skip
        unsaved.chosen_ids = set(submission.choice_ids)
        return _respond(request, target, next_url=next_url, answer=unsaved, stored=False)
    if request.htmx:
        return _respond(
            request,
            target,
            next_url=next_url,
            answer=stored.answer,
            completed=bool(stored.completed),
            tally=_page_tally(next_url, stored.tallies),
        )
    return HttpResponseRedirect(f"{next_url}#{target.anchor}", status=303)
