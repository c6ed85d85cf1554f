"""practice/grading.py and practice/validation.py: pure rules, no database."""

import uuid

import pytest

from practice.grading import AnswerRefused, grade, read_answer
from practice.validation import block_problems, choice_problems

TOKEN = str(uuid.uuid4())


def read(answer_kind="single", choices=("1",), text=None, confidence=None, token=TOKEN):
    return read_answer(
        answer_kind=answer_kind, choice_ids={1, 2, 3}, raw_choices=list(choices),
        raw_text=text, raw_confidence=confidence, raw_token=token, max_text=20,
    )  # fmt: skip


def test_a_valid_choice_is_read_with_its_confidence():
    submission = read(choices=["2"], confidence="sure")
    assert submission.choice_ids == (2,) and submission.confidence == "sure"
    assert submission.token == uuid.UUID(TOKEN)


def test_several_choices_for_a_multiple_question_are_sorted():
    assert read("multiple", choices=["3", "1"]).choice_ids == (1, 3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"choices": ["x"]},
        {"choices": ["4"]},
        {"choices": []},
        {"choices": ["1", "2"]},
        {"confidence": "very"},
        {"token": None},
        {"token": "123"},
        {"text": "words"},
        {"answer_kind": "text", "choices": [], "text": " "},
        {"answer_kind": "text", "choices": [], "text": "x" * 21},
        {"answer_kind": "text", "choices": ["1"], "text": "words"},
    ],
)
def test_bad_answers_are_refused_with_a_message(kwargs):
    with pytest.raises(AnswerRefused) as refused:
        read(**kwargs)
    assert refused.value.status == 400 and refused.value.message


def test_words_are_read_trimmed_with_unix_newlines():
    assert read("text", choices=[], text=" a\r\nb ").text == "a\nb"


def test_grading_is_the_exact_set_of_right_choices():
    assert grade(answer_kind="single", correct_ids={1}, choice_ids=(1,)) is True
    assert grade(answer_kind="multiple", correct_ids={1, 3}, choice_ids=(1,)) is False
    assert grade(answer_kind="multiple", correct_ids={1, 3}, choice_ids=(1, 3)) is True
    assert grade(answer_kind="text", correct_ids=set(), choice_ids=()) is None


def test_a_predict_block_needs_its_outcome_and_a_check_is_not_answered_in_words():
    assert block_problems(kind="predict", answer_kind="text", explanation=" ")
    assert block_problems(kind="check", answer_kind="text", explanation="Why.")
    assert block_problems(kind="predict", answer_kind="text", explanation="Outcome.") == []


@pytest.mark.parametrize(
    "answer_kind, choices, wanted",
    [
        ("single", [(True, "f"), (True, "f")], "exactly one"),
        ("single", [(False, "f"), (False, "f")], "exactly one"),
        ("true_false", [(True, "f"), (False, "f"), (False, "f")], "exactly two"),
        ("multiple", [(False, "f"), (False, "f")], "at least one"),
        ("single", [(True, "f")], "at least two"),
        ("single", [(True, "f"), (False, "")], "needs feedback"),
        ("text", [(True, "f")], "has no choices"),
    ],
)
def test_choice_rules(answer_kind, choices, wanted):
    problems = choice_problems(kind="check", answer_kind=answer_kind, choices=choices)
    assert any(wanted in problem for problem in problems), problems


def test_predict_choices_may_go_without_feedback():
    choices = [(True, ""), (False, "")]
    assert choice_problems(kind="predict", answer_kind="single", choices=choices) == []
