"""Reads of the review app: a learner's summary (cached), the next due card, a card to answer.

``summary`` is what the header and the empty queue show: whether reviews are on, how many
cards are due and when the next one is. It is one query, kept in Django's cache per learner
for ``SUMMARY_SECONDS`` and forgotten whenever the learner answers, reviews, snoozes or
changes the setting, so signed-in pages add no query for it while it is warm. Cards of a
course, lesson block or quiz that is not published are left out everywhere.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Card, ReviewLog, ReviewSettings

SUMMARY_SECONDS = 300
CARD_ITEMS = ("block__course", "question__quiz__course")
CARD_CHOICES = ("block__choices", "question__choices")


@dataclass(frozen=True)
class Summary:
    """A learner's reviews at a glance."""

    reviews_on: bool
    due: int
    next_due: datetime.datetime | None


def visible() -> Q:
    """Cards whose question learners may see: a published course's block or quiz question."""
    return Q(block__course__is_published=True) | Q(
        question__quiz__is_published=True, question__quiz__course__is_published=True
    )


def _key(user_id: int) -> str:
    return f"review:summary:{user_id}"


def forget_summaries(user_ids) -> None:
    cache.delete_many([_key(user_id) for user_id in user_ids])


def summary(*, user, now: datetime.datetime) -> Summary:
    """``user``'s summary from the cache, or from one query (then cached)."""
    cached = cache.get(_key(user.pk))
    if cached is not None:
        return cached
    cards = Card.objects.filter(visible(), user=OuterRef("pk"))
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            off=Exists(ReviewSettings.objects.filter(user=OuterRef("pk"), reviews_on=False)),
            due_count=Coalesce(
                Subquery(
                    cards.filter(due__lte=now)
                    .values("user")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            next_due=Subquery(cards.filter(due__gt=now).order_by("due").values("due")[:1]),
        )
        .values_list("off", "due_count", "next_due")
        .first()
    )
    off, due, next_due = row or (False, 0, None)
    found = Summary(reviews_on=not off, due=due, next_due=next_due)
    cache.set(_key(user.pk), found, SUMMARY_SECONDS)
    return found


def _with_item(cards):
    return cards.select_related(*CARD_ITEMS).prefetch_related(*CARD_CHOICES)


def next_card(*, user, now: datetime.datetime) -> Card | None:
    """The learner's card due longest ago, with its question and choices, or None."""
    card = (
        _with_item(Card.objects.filter(visible(), user=user, due__lte=now))
        .order_by("due", "pk")
        .first()
    )
    if card is not None:
        card.user = user
    return card


def learner_card(*, user, card_id: int) -> Card | None:
    """``user``'s card ``card_id`` with its question and choices; None if not theirs."""
    card = _with_item(Card.objects.filter(visible(), user=user, pk=card_id)).first()
    if card is not None:
        card.user = user
    return card


def learner_review(*, user, log_id: int) -> ReviewLog | None:
    """One of ``user``'s reviews with its card, question and choices (for its feedback)."""
    log = (
        ReviewLog.objects.filter(card__user=user, source="review", pk=log_id)
        .select_related("card", *(f"card__{path}" for path in CARD_ITEMS))
        .prefetch_related(*(f"card__{path}" for path in CARD_CHOICES))
        .first()
    )
    if log is not None:
        log.card.user = user
    return log
