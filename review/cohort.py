"""Review cards and their history for a synthetic cohort (``manage.py make_load_data``).

``cards_from_history`` replays each learner's answers to each question in time order through
the real rating rule and scheduler, then writes the cards and one log per answer with two
bulk inserts (``core.bulk.insert_rows``: plain rows, no model instance each), so a cohort of
1,000 learners gets its cards in seconds and one of 10,000 well within a minute.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from core.bulk import insert_rows, last_pk, new_pks

from .models import Card, ReviewLog
from .rating import rating_for
from .scheduling import schedule

# (user id, question id, right or not, confidence, answered at)
Answered = tuple[int, int, bool, str, datetime.datetime]


def cards_from_history(answers: Iterable[Answered]) -> tuple[int, int]:
    """Create the cards of quiz ``answers`` (any order); return (cards, logs) written."""
    by_card: dict[tuple[int, int], list[Answered]] = {}
    for answer in sorted(answers, key=lambda a: a[4]):
        by_card.setdefault((answer[0], answer[1]), []).append(answer)
    cards, histories = [], []
    created = timezone.now()
    for (user_id, question_id), history in by_card.items():
        state, ratings = None, []
        for _, _, right, confidence, moment in history:
            rating = rating_for(is_correct=right, confidence=confidence)
            state = schedule(state.fsrs if state else None, rating, now=moment)
            ratings.append((int(rating), right, confidence, moment))
        cards.append((user_id, question_id, state.fsrs, state.due, state.stability,
                      state.difficulty, state.state, state.last_review, created))  # fmt: skip
        histories.append(ratings)
    before = last_pk(Card)
    insert_rows(Card, ["user_id", "question_id", "fsrs", "due", "stability", "difficulty", "state",
                       "last_review", "created_at"], cards)  # fmt: skip
    logs = insert_rows(ReviewLog, ["card_id", "rating", "is_correct", "confidence", "source", "reviewed_at"], (
        (card_id, rating, right, confidence, "quiz", moment)
        for card_id, ratings in zip(new_pks(Card, after=before), histories, strict=True)
        for rating, right, confidence, moment in ratings
    ))  # fmt: skip
    return len(cards), logs
