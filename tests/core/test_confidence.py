"""core/confidence.py: the certainty-based marking rule."""

import pytest

from core.confidence import (
    Confidence,
    certainty_percent,
    is_confidently_wrong,
    mark,
    parse_confidence,
)


@pytest.mark.parametrize(
    ("confidence", "right", "wrong"),
    [(Confidence.SURE, 3, -6), (Confidence.THINK_SO, 2, -2), (Confidence.GUESSING, 1, 0), ("", 1, 0)],
)
def test_a_sure_answer_earns_most_when_right_and_costs_most_when_wrong(confidence, right, wrong):
    assert mark(is_correct=True, confidence=confidence) == right
    assert mark(is_correct=False, confidence=confidence) == wrong


def test_only_a_wrong_sure_answer_is_confidently_wrong():
    assert is_confidently_wrong(is_correct=False, confidence=Confidence.SURE)
    assert not is_confidently_wrong(is_correct=True, confidence=Confidence.SURE)
    assert not is_confidently_wrong(is_correct=False, confidence=Confidence.THINK_SO)


def test_certainty_percent_is_marks_over_the_best_and_never_negative():
    assert certainty_percent([]) is None
    assert certainty_percent([(True, "sure")] * 4) == 100
    assert certainty_percent([(True, "guessing")] * 3) == 33
    assert certainty_percent([(True, "sure"), (False, "sure")]) == 0
    assert certainty_percent([(True, "think_so"), (True, "sure"), (False, "guessing")]) == 55


@pytest.mark.parametrize(("raw", "stored"), [("", ""), (None, ""), (" sure ", "sure"), ("SURE", None), ("x", None)])
def test_a_submitted_confidence_is_one_of_three_or_none_given(raw, stored):
    assert parse_confidence(raw) == stored
