"""The rating of an answer for the scheduler: a pure rule of right-or-wrong and confidence.

| answer | FSRS rating |
|---|---|
| wrong (whatever the confidence) | Again |
| right, "guessing" | Hard |
| right, "think so" or no confidence given | Good |
| right, "sure" | Easy |
"""

from fsrs import Rating

from core.confidence import Confidence


def rating_for(*, is_correct: bool, confidence: str) -> Rating:
    """The FSRS rating of one answer (``confidence`` as stored: "" when not given)."""
    if not is_correct:
        return Rating.Again
    if confidence == Confidence.GUESSING:
        return Rating.Hard
    if confidence == Confidence.SURE:
        return Rating.Easy
    return Rating.Good
