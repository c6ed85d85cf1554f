"""The review queue at /review/: one due card at a time, answered, snoozed, or reviews turned off.

Everything works without JavaScript: each form POSTs, then redirects (303) back to /review/,
which shows the feedback on the review just given (``?reviewed=<id>``) above the next card.
With htmx the ``#review`` region is swapped in place instead. A refused request (a card that
is not due or not the learner's, a choice from another question, an unknown confidence)
changes nothing and answers 4xx with the reason, in the region or on the full page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.personal_pages import personal_page
from core.refusals import refusal_status

from . import selectors, services
from .answers import ReviewRefused, read_review
from .cards import card_form, correct_ids, item_facts, review_feedback

PAGE = "review/queue.html"


def _page(request, *, status=200, feedback=None, errors=(), form=None, focus=False):
    """The queue: optional feedback, then the refused ``form`` or the next due card."""
    now = timezone.now()
    summary = selectors.summary(user=request.user, now=now)
    if form is None and summary.reviews_on:
        card = selectors.next_card(user=request.user, now=now)
        form = card_form(card) if card is not None else None
    context = {
        "summary": summary,
        "feedback": feedback,
        "form": form,
        "errors": list(errors),
        "focus": focus,
    }
    template = PAGE + ("#review" if request.htmx else "")
    # A refused answer (400, 409) swaps into #review in place for htmx (core.refusals), a 4xx
    # page otherwise; a card that is not the learner's stays a 404 (review.js swaps it in).
    if status in (400, 409):
        status = refusal_status(request, status)
    return render(request, template, context, status=status)


def _done(request, query: str = ""):
    """After a POST: the region for htmx, else a redirect back to the queue."""
    if request.htmx:
        return None
    return HttpResponseRedirect(reverse("review:queue") + query, status=303)


def _reviewed(request) -> QueryDict:
    """The one parameter the queue reads, canonical: the review to give feedback on."""
    query = QueryDict(mutable=True)
    raw = request.GET.get("reviewed", "")
    if raw.isdigit():
        query["reviewed"] = str(int(raw))
    return query


@login_required
@require_GET
@personal_page(params=_reviewed)
def queue(request):
    feedback = None
    raw = request.GET.get("reviewed", "")
    if raw.isdigit():
        log = selectors.learner_review(user=request.user, log_id=int(raw))
        if log is not None:
            feedback = review_feedback(log, log.card)
    return _page(request, feedback=feedback)


@login_required
@require_POST
def answer(request, card):
    found = selectors.learner_card(user=request.user, card_id=card)
    if found is None:
        return _page(request, status=404, errors=["That card is not in your reviews."])
    posted = {
        "choices": request.POST.getlist("choice"),
        "confidence": request.POST.get("confidence", ""),
    }
    facts = item_facts(found)
    try:
        if not selectors.summary(user=request.user, now=timezone.now()).reviews_on:
            raise ReviewRefused("Your reviews are off. Turn them on to answer cards.", 409)
        given = read_review(
            answer_kind=facts["answer_kind"],
            choice_ids={choice.pk for choice in facts["choices"]},
            correct_ids=correct_ids(facts),
            raw_choices=posted["choices"],
            raw_confidence=posted["confidence"],
        )
        log = services.review(
            card=found, chosen=given.chosen, is_correct=given.is_correct,
            confidence=given.confidence, now=timezone.now(),
        )  # fmt: skip
    except ReviewRefused as refused:
        form = card_form(found, posted=posted) if refused.status == 400 else None
        return _page(request, status=refused.status, errors=[refused.message], form=form)
    return _done(request, f"?reviewed={log.pk}") or _page(
        request, feedback=review_feedback(log, found), focus=True
    )


@login_required
@require_POST
def snooze(request, card=None):
    try:
        moved = services.snooze(user=request.user, now=timezone.now(), card_id=card)
    except ReviewRefused as refused:
        return _page(request, status=refused.status, errors=[refused.message])
    return _done(request) or _page(request, errors=(), focus=bool(moved))


@login_required
@require_POST
def settings(request):
    choice = request.POST.get("reviews", "")
    if choice not in ("on", "off"):
        return _page(request, status=400, errors=["Choose whether reviews are on or off."])
    services.set_reviews_on(user=request.user, on=choice == "on")
    return _done(request) or _page(request)
