"""Review cards and their history for a synthetic cohort (``manage.py make_load_data``).

``cards_from_history`` replays each learner's answers to each question in time order through
the real rating rule and scheduler, then writes the cards and one log per answer with two
bulk inserts, so a cohort of 1,000 learners gets its cards in seconds.
"""

import datetime
from collections.abc import Iterable

from .models import Card, ReviewLog
from .rating import rating_for
from .scheduling import schedule

BATCH = 2000

# (user id, question id, right or not, confidence, answered at)
Answered = tuple[int, int, bool, str, datetime.datetime]


def cards_from_history(answers: Iterable[Answered]) -> tuple[int, int]:
    """Create the cards of quiz ``answers`` (any order); return (cards, logs) written."""
    by_card: dict[tuple[int, int], list[Answered]] = {}
    for answer in sorted(answers, key=lambda a: a[4]):
        by_card.setdefault((answer[0], answer[1]), []).append(answer)
    cards, histories = [], []
    for (user_id, question_id), history in by_card.items():
        state, ratings = None, []
        for _, _, right, confidence, moment in history:
            rating = rating_for(is_correct=right, confidence=confidence)
            state = schedule(state.fsrs if state else None, rating, now=moment)
            ratings.append((int(rating), right, confidence, moment))
        cards.append(Card(user_id=user_id, question_id=question_id, fsrs=state.fsrs, due=state.due,
                          stability=state.stability, difficulty=state.difficulty,
                          state=state.state, last_review=state.last_review))  # fmt: skip
        histories.append(ratings)
    Card.objects.bulk_create(cards, batch_size=BATCH)
    logs = [
        ReviewLog(card_id=card.pk, rating=rating, is_correct=right, confidence=confidence,
                  source="quiz", reviewed_at=moment)  # fmt: skip
        for card, ratings in zip(cards, histories, strict=True)
        for rating, right, confidence, moment in ratings
    ]
    ReviewLog.objects.bulk_create(logs, batch_size=BATCH)
    return len(cards), len(logs)
