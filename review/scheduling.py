"""When a card is next due: FSRS (the ``fsrs`` package) with its default parameters.

Pure functions of plain values, with ``now`` always passed in (so tests freeze the clock). A
card's state is stored as ``fsrs.Card.to_dict()``; ``schedule`` rates the card at ``now`` and
returns the new state. With the defaults a wrong answer (Again) is due again within minutes, a
first right answer within the learning steps (ten minutes) or, when sure (Easy), days later,
and each further right answer spreads the interval out. The intervals are fuzzed a little, as
FSRS does, so cards answered together do not all come back together.
"""

import datetime
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler()  # default parameters: no optimiser, desired retention 0.9
# fsrs numbers a new card by the clock and sleeps a millisecond to keep the numbers apart;
# ours are numbered by their row, so every new card gets this one instead (and no sleep).
NEW_CARD_ID = 0
SNOOZE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scheduled:
    """A card's state after a rating, split into the columns ``review.Card`` stores."""

    fsrs: dict
    due: datetime.datetime
    stability: float | None
    difficulty: float | None
    state: int
    last_review: datetime.datetime | None


def schedule(state: dict | None, rating: Rating, *, now: datetime.datetime) -> Scheduled:
    """Rate the card whose stored state is ``state`` (None: a new card) at ``now``."""
    card = Card.from_dict(state) if state else Card(card_id=NEW_CARD_ID, due=now)
    card, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
    return Scheduled(
        fsrs=card.to_dict(),
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        state=int(card.state),
        last_review=card.last_review,
    )


def snoozed_until(due: datetime.datetime, *, now: datetime.datetime) -> datetime.datetime:
    """The due date of a card snoozed at ``now``: a day later, never earlier than it was."""
    return max(due, now + SNOOZE)
