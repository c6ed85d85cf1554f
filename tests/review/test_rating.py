"""review/rating.py: the FSRS rating of an answer from right-or-wrong and confidence."""

import pytest
from fsrs import Rating

from review.rating import rating_for


@pytest.mark.parametrize("confidence", ["sure", "think_so", "guessing", ""])
def test_a_wrong_answer_is_again_whatever_the_confidence(confidence):
    assert rating_for(is_correct=False, confidence=confidence) == Rating.Again


@pytest.mark.parametrize(
    ("confidence", "rating"),
    [("guessing", Rating.Hard), ("think_so", Rating.Good), ("", Rating.Good), ("sure", Rating.Easy)],
)
def test_a_right_answer_is_rated_by_how_sure_the_learner_was(confidence, rating):
    assert rating_for(is_correct=True, confidence=confidence) == rating
