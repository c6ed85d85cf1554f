"""The scenario advisor's rule, over every combination of its inputs."""

from itertools import chain, combinations, product

import pytest

from matrix.advice import REASONS, STRENGTHS, Recommendation, advise

ALL_REASON_SETS = [
    frozenset(chosen)
    for chosen in chain.from_iterable(combinations(REASONS, size) for size in range(len(REASONS) + 1))
]
EVERY_INPUT = list(product(STRENGTHS, ALL_REASON_SETS, [False, True]))


def test_the_product_covers_every_combination():
    assert len(ALL_REASON_SETS) == 16
    assert len(EVERY_INPUT) == 2 * 16 * 2


def expected(base, reasons, perception):
    """The rule table, stated the way the source states it."""
    if perception:
        return Recommendation.PERCEPTION_MODEL
    if base == "weak":
        return Recommendation.FINE_TUNE
    if reasons:
        return Recommendation.FINE_TUNE
    return Recommendation.PROMPT_GENERALIST


@pytest.mark.parametrize(("base", "reasons", "perception"), EVERY_INPUT)
def test_recommendation_for_every_combination(base, reasons, perception):
    advice = advise(base=base, reasons=reasons, perception=perception)
    assert advice.recommendation is expected(base, reasons, perception)


@pytest.mark.parametrize(("base", "reasons", "perception"), EVERY_INPUT)
def test_drivers_name_only_answers_the_learner_gave(base, reasons, perception):
    advice = advise(base=base, reasons=reasons, perception=perception)
    keys = [driver.key for driver in advice.drivers]
    assert keys, "every recommendation says what drove it"
    assert len(keys) == len(set(keys))
    for key in keys:
        if key in REASONS:
            assert key in reasons, f"{key} drove the advice but was not ticked"
        elif key.startswith("base:"):
            assert key == f"base:{base}"
        elif key == "perception":
            assert perception
        else:
            assert key == "no_reasons" and not reasons
    assert all(driver.text for driver in advice.drivers)


@pytest.mark.parametrize(("base", "reasons", "perception"), EVERY_INPUT)
def test_every_ticked_reason_drives_a_fine_tune_recommendation(base, reasons, perception):
    advice = advise(base=base, reasons=reasons, perception=perception)
    keys = [driver.key for driver in advice.drivers]
    if advice.recommendation is Recommendation.FINE_TUNE:
        assert set(reasons) <= set(keys)
        # In the form's order, so the list reads like the form.
        assert [key for key in keys if key in REASONS] == [key for key in REASONS if key in reasons]


def test_perception_alone_drives_the_perception_answer_whatever_else_is_ticked():
    advice = advise(base="weak", reasons=frozenset(REASONS), perception=True)
    assert advice.recommendation is Recommendation.PERCEPTION_MODEL
    assert [driver.key for driver in advice.drivers] == ["perception"]
    assert "do not change what kind of model" in advice.caveat
    assert "matrix does not decide" in advice.recommendation.explanation


def test_strong_base_with_no_reason_says_prompt_and_why():
    advice = advise(base="strong", reasons=frozenset(), perception=False)
    assert advice.recommendation is Recommendation.PROMPT_GENERALIST
    assert [driver.key for driver in advice.drivers] == ["base:strong", "no_reasons"]
    assert advice.recommendation.label == "Prompt a strong general model"


def test_weak_base_drives_fine_tuning_together_with_the_ticked_reasons():
    advice = advise(base="weak", reasons={"latency", "constrained_format"}, perception=False)
    assert [driver.key for driver in advice.drivers] == ["base:weak", "constrained_format", "latency"]
    assert advice.caveat == ""


def test_format_alone_on_a_strong_base_carries_the_prompting_caveat():
    advice = advise(base="strong", reasons={"constrained_format"}, perception=False)
    assert advice.recommendation is Recommendation.FINE_TUNE
    assert "Prompting works" in advice.caveat
    assert advise(base="strong", reasons={"constrained_format", "latency"}, perception=False).caveat == ""


def test_weak_base_without_reasons_suggests_trying_a_stronger_base():
    assert "stronger base" in advise(base="weak", reasons=set(), perception=False).caveat


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": "medium", "reasons": set(), "perception": False}, "unknown base"),
        ({"base": "weak", "reasons": {"cheaper"}, "perception": False}, "unknown reasons"),
    ],
)
def test_unknown_inputs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        advise(**kwargs)
