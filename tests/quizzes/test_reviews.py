"""quizzes/reviews.py: the words of the result review, and the certainty-based score."""

import pytest

from quizzes.attempts import arrange
from quizzes.reviews import (
    CERTAINTY_EXPLAINED,
    CERTAINTY_WITHOUT_CONFIDENCE,
    and_list,
    build_reviews,
    certainty,
    sentence,
)
from quizzes.selectors import questions_with_choices

pytestmark = pytest.mark.django_db


def test_a_sentence_never_ends_in_doubled_punctuation():
    assert sentence("The right answer is “A”") == "The right answer is “A”."
    assert sentence("The right answer is “Go ahead.”") == "The right answer is “Go ahead.”"
    assert sentence("Is it “B?”") == "Is it “B?”"
    assert and_list(["“A”"]) == "“A”"
    assert and_list(["“A”", "“B”", "“C”"]) == "“A”, “B” and “C”"


def reviews_for(quiz, picks, confidences=None):
    """``picks``: per question in authored order, the choice orders (1-based) chosen."""
    questions = arrange(questions_with_choices(quiz), None)
    chosen, correct = {}, {}
    for question, orders in zip(questions, picks, strict=True):
        ids = {c.pk for c in question.choices.all() if c.order in orders}
        right = {c.pk for c in question.choices.all() if c.is_correct}
        chosen[question.pk], correct[question.pk] = ids, ids == right
    sure = dict(zip((q.pk for q in questions), confidences or (), strict=False))
    return build_reviews(questions, chosen, correct, sure)


def test_a_wrong_one_answer_question_names_the_choice_and_the_right_answer_once(quiz):
    single, _multiple, _tf = reviews_for(quiz, [{1}, {1, 3}, {1}])
    assert not single.is_correct
    assert [c.verdict for c in single.chosen] == ["“Fine-tune a small model (1.1)”: not right."]
    assert single.key == "The right answer is “Use the frontier generalist (1.2)”."


def test_a_partly_right_several_answers_question_lists_the_right_answers_once(quiz):
    _single, multiple, _tf = reviews_for(quiz, [{2}, {1}, {1}])
    assert [c.verdict for c in multiple.chosen] == ["“Format compliance (2.1)”: right."]
    assert multiple.key == (
        "The right answers are “Format compliance (2.1)” and “Regulatory traceability (2.3)”."
    )


def test_a_right_answer_needs_no_key(quiz):
    reviews = reviews_for(quiz, [{2}, {1, 3}, {1}])
    assert all(review.is_correct and review.key == "" for review in reviews)


def test_a_choice_text_with_its_own_full_stop_is_not_followed_by_another(quiz):
    question = quiz.questions.get(kind="single")
    question.choices.filter(is_correct=True).update(text="Use the generalist.")
    single = reviews_for(quiz, [{1}, {1, 3}, {1}])[0]
    assert single.key == "The right answer is “Use the generalist.”"


def test_certainty_weighs_how_sure_and_flags_confidently_wrong_answers(quiz):
    # Right and sure (3), wrong and sure (-6), right and guessing (1): 0 of 9, floored at 0.
    reviews = reviews_for(quiz, [{2}, {2}, {1}], ["sure", "sure", "guessing"])
    assert [r.confidently_wrong for r in reviews] == [False, True, False]
    assert certainty(reviews).percent == 0 and certainty(reviews).confidently_wrong == 1
    assert certainty(reviews).explanation == CERTAINTY_EXPLAINED
    # All right and sure: 9 of 9.
    assert certainty(reviews_for(quiz, [{2}, {1, 3}, {1}], ["sure"] * 3)).percent == 100


def test_without_any_confidence_every_answer_counts_as_a_guess(quiz):
    result = certainty(reviews_for(quiz, [{2}, {1, 3}, {1}]))
    assert result.percent == 33 and not result.confidence_given
    assert result.explanation.endswith(CERTAINTY_WITHOUT_CONFIDENCE)
