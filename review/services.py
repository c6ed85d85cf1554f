"""Writes of the review app: scheduling cards from answers, reviews, snoozes and the on/off setting.

``record_answers`` is the receiver of ``core.events.answer_recorded`` (through
``core.events.batched``): every right or wrong answer given in a lesson or a quiz creates the
learner's card for the question, or rates it again. A batch (a whole quiz) costs a fixed
number of queries: the cards it already has, locked (skipped when every answer is a first
try, which has none yet), one upsert of every card, one insert of the logs. The upsert keeps
one card per learner and question even when answers arrive at the same moment.

``review`` takes an answer given on /review/; it moves the card only while the card is due
(a conditional update), so a double submit or a tampered form changes nothing.
"""

import datetime
from collections.abc import Collection

from django.db import transaction

from core import events
from practice.models import Block

from .answers import ReviewRefused
from .models import Card, ReviewLog, ReviewSettings
from .rating import rating_for
from .scheduling import schedule, snoozed_until
from .selectors import forget_summaries

SCHEDULED_FIELDS = ["fsrs", "due", "stability", "difficulty", "state", "last_review"]


def _kind(item) -> str:
    return "block" if isinstance(item, Block) else "question"


def _apply(card: Card, scheduled) -> None:
    for name in SCHEDULED_FIELDS:
        setattr(card, name, getattr(scheduled, name))


def _record_kind(kind: str, answers: list[events.Answer]) -> None:
    """Create or rate the cards of one kind of item (blocks or questions) for ``answers``."""
    found: dict[tuple[int, int], Card] = {}
    if not all(answer.first_try for answer in answers):
        cards = Card.objects.select_for_update().filter(
            user_id__in={answer.user.pk for answer in answers},
            **{f"{kind}_id__in": {answer.item.pk for answer in answers}},
        )
        found = {(card.user_id, getattr(card, f"{kind}_id")): card for card in cards}
    rated: list[tuple[Card, events.Answer, int]] = []
    for answer in answers:
        key = (answer.user.pk, answer.item.pk)
        card = found.get(key) or Card(user_id=key[0], **{f"{kind}_id": key[1]})
        rating = rating_for(is_correct=answer.is_correct, confidence=answer.confidence)
        _apply(card, schedule(card.fsrs or None, rating, now=answer.answered_at))
        found[key] = card
        rated.append((card, answer, int(rating)))
    cards = list({id(card): card for card, _, _ in rated}.values())
    Card.objects.bulk_create(
        cards, update_conflicts=True, unique_fields=["user", kind], update_fields=SCHEDULED_FIELDS
    )
    ReviewLog.objects.bulk_create(
        ReviewLog(
            card_id=card.pk, rating=rating, is_correct=answer.is_correct,
            confidence=answer.confidence, source=answer.source, reviewed_at=answer.answered_at,
        )  # fmt: skip
        for card, answer, rating in rated
    )


def record_answers(answers: list[events.Answer]) -> None:
    """Schedule a card for every right or wrong answer (answers in words have no card).

    Reviews are left out: ``review`` has moved their card already.
    """
    rated = [a for a in answers if a.is_correct is not None and a.source != "review"]
    if not rated:
        return
    groups: dict[str, list[events.Answer]] = {}
    for answer in rated:
        groups.setdefault(_kind(answer.item), []).append(answer)
    with transaction.atomic():
        for kind, group in groups.items():
            _record_kind(kind, group)
    forget_summaries({answer.user.pk for answer in rated})


def review(
    *,
    card: Card,
    chosen: Collection[int],
    is_correct: bool,
    confidence: str,
    now: datetime.datetime,
) -> ReviewLog:
    """Rate ``card`` (due, the learner's, checked answer) at ``now``; return the log.

    Raises ReviewRefused (409) when the card is no longer due: reviewed a moment ago in another
    tab, or snoozed. Nothing is changed then.
    """
    rating = rating_for(is_correct=is_correct, confidence=confidence)
    scheduled = schedule(card.fsrs or None, rating, now=now)
    with transaction.atomic():
        moved = Card.objects.filter(pk=card.pk, due__lte=now).update(
            **{name: getattr(scheduled, name) for name in SCHEDULED_FIELDS}
        )
        if moved != 1:
            raise ReviewRefused(
                "This card is not due any more: it was reviewed or snoozed already.", status=409
            )
        log = ReviewLog.objects.create(
            card=card, rating=int(rating), is_correct=is_correct, confidence=confidence,
            source="review", chosen=sorted(chosen), reviewed_at=now,
        )  # fmt: skip
        events.announce(
            [
                events.Answer(
                    user=card.user, item=card.item, is_correct=is_correct, confidence=confidence,
                    answered_at=now, first_try=False, source="review",
                )  # fmt: skip
            ],
            sender=Card,
        )
    _apply(card, scheduled)
    forget_summaries({card.user_id})
    return log


def snooze(*, user, now: datetime.datetime, card_id: int | None = None) -> int:
    """Put off one due card of ``user``'s, or all of them, for a day; return how many moved.

    Raises ReviewRefused (409) when the one card named is not due (or not theirs: 404).
    """
    cards = Card.objects.filter(user=user, due__lte=now)
    if card_id is not None:
        cards = cards.filter(pk=card_id)
    moved = cards.update(due=snoozed_until(now, now=now))
    if card_id is not None and moved != 1:
        if Card.objects.filter(user=user, pk=card_id).exists():
            raise ReviewRefused("This card is not due, so there is nothing to snooze.", 409)
        raise ReviewRefused("That card is not in your reviews.", 404)
    forget_summaries({user.pk})
    return moved


def set_reviews_on(*, user, on: bool) -> ReviewSettings:
    """Turn ``user``'s reviews on or off (cards keep their schedule either way)."""
    settings, _ = ReviewSettings.objects.update_or_create(user=user, defaults={"reviews_on": on})
    forget_summaries({user.pk})
    return settings
