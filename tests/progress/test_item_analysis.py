"""progress/item_analysis.py on a hand-made data set whose answers are worked out by hand,
and selectors.item_analysis over real attempts (first attempts only)."""

import pytest

from progress.item_analysis import (
    MOSTLY_MISSED,
    STRONG_GET_IT_WRONG,
    TOO_EASY,
    Answer,
    analyse_quiz,
    group_size,
    separation_word,
    upper_and_lower,
    worth_a_look,
)
from progress.selectors import item_analysis
from quizzes.models import Choice, Question
from tests.factories import make_course, make_person, make_quiz, submit_attempt

# Ten takers with distinct total scores: user 1 scored highest, user 10 lowest.
# 27 % of 10 rounds to 3, so the upper group is users 1-3 and the lower group users 8-10.
SCORES = {user: 11 - user for user in range(1, 11)}


def question(pk):
    return Question(pk=pk, order=pk, prompt=f"Q{pk}", explanation="")


def choices_for(question_pk):
    """Choice ids: 10*q + 1 is right, 10*q + 2 "wrong A", 10*q + 3 "wrong B"."""
    return {
        10 * question_pk + n: Choice(pk=10 * question_pk + n, question_id=question_pk, order=n,
                                     text=text, is_correct=n == 1)
        for n, text in ((1, "right"), (2, "wrong A"), (3, "wrong B"))
    }


def answers(question_pk, right_users, wrong_a_users=()):
    """Everyone in SCORES answers; those not right pick "wrong A" if listed, else "wrong B"."""
    result = []
    for user in SCORES:
        if user in right_users:
            result.append(Answer(user, question_pk, True, ()))
        else:
            wrong = 10 * question_pk + (2 if user in wrong_a_users else 3)
            result.append(Answer(user, question_pk, False, (wrong,)))
    return result


@pytest.fixture
def analysed():
    questions = [question(pk) for pk in (1, 2, 3, 4)]
    choices = {}
    for q in questions:
        choices.update(choices_for(q.pk))
    given = (
        # Q1: users 1-8 right; 9 picks wrong B, 10 picks wrong A (a tie between wrong answers).
        answers(1, right_users=range(1, 9), wrong_a_users={10})
        # Q2: only 1, 2 and 4 right; five pick wrong A, two pick wrong B.
        + answers(2, right_users={1, 2, 4}, wrong_a_users={3, 5, 6, 7, 8})
        # Q3: the six weakest are right, the four strongest wrong.
        + answers(3, right_users=range(5, 11))
        # Q4: everyone right.
        + answers(4, right_users=range(1, 11))
    )
    items = analyse_quiz(questions=questions, choices=choices, answers=given, scores=SCORES)
    return {item.question.pk: item for item in items}


def test_group_size_is_27_percent_rounded_and_at_least_one():
    assert [group_size(n) for n in (1, 4, 5, 6, 10, 100, 200)] == [1, 1, 1, 2, 3, 27, 54]


def test_upper_and_lower_groups_by_score_with_ties_broken_by_user_id():
    assert upper_and_lower(SCORES) == ([1, 2, 3], [8, 9, 10])
    assert upper_and_lower({5: 3, 2: 3, 9: 1, 4: 0}) == ([2], [4])
    assert upper_and_lower({1: 3, 2: 2, 3: 1}) is None  # too few takers


def test_facility_is_the_share_who_got_it_right(analysed):
    assert [analysed[q].facility for q in (1, 2, 3, 4)] == [0.8, 0.3, 0.6, 1.0]
    assert [analysed[q].facility_percent for q in (1, 2, 3, 4)] == [80, 30, 60, 100]
    assert all(analysed[q].answered == 10 for q in (1, 2, 3, 4))


def test_discrimination_is_upper_minus_lower_facility(analysed):
    # Q1: upper 3/3, lower 1/3 (user 8). Q2: upper 2/3, lower 0/3.
    # Q3: upper 0/3, lower 3/3. Q4: 3/3 - 3/3.
    assert analysed[1].discrimination == pytest.approx(2 / 3)
    assert analysed[2].discrimination == pytest.approx(2 / 3)
    assert analysed[3].discrimination == -1
    assert analysed[4].discrimination == 0


def test_most_chosen_wrong_answer_with_ties_going_to_the_choice_shown_first(analysed):
    assert (analysed[2].wrong_choice.text, analysed[2].wrong_choice_count) == ("wrong A", 5)
    assert (analysed[3].wrong_choice.text, analysed[3].wrong_choice_count) == ("wrong B", 4)
    assert (analysed[1].wrong_choice.text, analysed[1].wrong_choice_count) == ("wrong A", 1)
    assert analysed[4].wrong_choice is None and analysed[4].wrong_choice_count == 0


def test_plain_language_flags(analysed):
    assert analysed[1].flags == []
    assert analysed[2].flags == [MOSTLY_MISSED]
    assert analysed[3].flags == [STRONG_GET_IT_WRONG]
    assert analysed[4].flags == [TOO_EASY]
    assert MOSTLY_MISSED.text == "Most of the team misses this"
    assert TOO_EASY.text == "Too easy"
    assert STRONG_GET_IT_WRONG.text == "Strong learners get it wrong: check the question"


def test_discrimination_in_words_by_the_usual_bands(analysed):
    assert [separation_word(v) for v in (0.75, 0.3, 0.29, 0.2, 0.19, 0.0, -0.01, None)] == [
        "good", "good", "fair", "fair", "weak", "weak", "reversed", None,
    ]  # fmt: skip
    assert analysed[3].separation == "reversed"  # the strong get it wrong
    assert analysed[2].separation == "good"


def test_the_questions_worth_a_look_are_the_misunderstood_not_the_easy(analysed):
    """Q2 is mostly missed and Q3 reversed; Q1 and Q4 (too easy) have nothing to discuss."""
    assert [item.question.pk for item in worth_a_look(list(analysed.values()))] == [2, 3]
    assert worth_a_look(list(analysed.values()), limit=1)[0].question.pk == 2


def test_few_answers_give_no_discrimination_and_no_flags():
    q = question(1)
    given = [Answer(1, 1, False, (12,)), Answer(2, 1, False, (12,))]
    (item,) = analyse_quiz(questions=[q], choices=choices_for(1), answers=given, scores={1: 0, 2: 0})
    assert item.facility == 0 and item.discrimination is None and item.flags == []


def test_a_question_nobody_answered_has_no_facility():
    (item,) = analyse_quiz(questions=[question(1)], choices=choices_for(1), answers=[], scores={})
    assert item.answered == 0 and item.facility is None and item.facility_percent is None


@pytest.mark.django_db
def test_selector_uses_each_members_first_submitted_attempt_only():
    course = make_course(lessons=1, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="q", questions=2)
    people = [make_person(username=f"p{n}") for n in range(4)]
    # First attempts: p0 2/2, p1 1/2 (q2 wrong A), p2 1/2 (q2 wrong B), p3 0/2 (both wrong A).
    submit_attempt(user=people[0], quiz=quiz, picks=["right", "right"], days_ago=5)
    submit_attempt(user=people[1], quiz=quiz, picks=["right", "wrong A"], days_ago=5)
    submit_attempt(user=people[2], quiz=quiz, picks=["right", "wrong B"], days_ago=5)
    submit_attempt(user=people[3], quiz=quiz, picks=["wrong A", "wrong A"], days_ago=5)
    # Later attempts change nothing, and neither does someone outside the group.
    submit_attempt(user=people[3], quiz=quiz, picks=["right", "right"], days_ago=1)
    submit_attempt(user=people[1], quiz=quiz, picks=["right", "right"], days_ago=1)
    submit_attempt(user=make_person(username="outsider"), quiz=quiz, picks=["wrong B", "wrong B"])
    (analysis,) = item_analysis(quizzes=[quiz], user_ids=[p.pk for p in people])
    assert analysis.takers == 4
    first, second = analysis.items
    assert (first.answered, first.right, second.right) == (4, 3, 1)
    assert (second.wrong_choice.text, second.wrong_choice_count) == ("wrong A (2)", 2)
    # 4 takers: groups of one. Upper p0 (score 2) right on both; lower p3 (score 0) wrong.
    assert first.discrimination == 1 and second.discrimination == 1


def test_the_confidently_wrong_rate_is_the_share_wrong_while_sure():
    q = question(1)
    given = [
        Answer(1, 1, True, (), "sure"),  # right and sure: not counted
        Answer(2, 1, False, (12,), "sure"),
        Answer(3, 1, False, (13,), "think_so"),
        Answer(4, 1, False, (12,), ""),
    ]
    (item,) = analyse_quiz(questions=[q], choices=choices_for(1), answers=given,
                           scores={1: 1, 2: 0, 3: 0, 4: 0})  # fmt: skip
    assert item.sure_wrong == 1
    assert item.confidently_wrong_rate == 0.25 and item.confidently_wrong_percent == 25
    (nobody,) = analyse_quiz(questions=[question(2)], choices={}, answers=[], scores={})
    assert nobody.confidently_wrong_percent is None


def test_with_a_pool_discrimination_compares_only_those_asked():
    # Q1 was drawn for users 1, 2, 9 and 10 only: the upper group's asked (1, 2) are right,
    # the lower group's asked (9, 10) wrong; the others were not asked, which is not wrong.
    given = [Answer(u, 1, u < 5, ()) for u in (1, 2, 9, 10)]
    (item,) = analyse_quiz(questions=[question(1)], choices=choices_for(1), answers=given,
                           scores=SCORES)  # fmt: skip
    assert item.answered == 4 and item.facility == 0.5 and item.discrimination == 1
    # Nobody in the lower group was asked: no comparison to make.
    (alone,) = analyse_quiz(questions=[question(1)], choices=choices_for(1),
                            answers=[Answer(1, 1, True, ())], scores=SCORES)  # fmt: skip
    assert alone.discrimination is None


@pytest.mark.django_db
def test_selector_counts_first_attempts_answered_wrong_while_sure():
    course = make_course(lessons=1, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="q", questions=2)
    people = [make_person(username=f"p{n}") for n in range(4)]
    submit_attempt(user=people[0], quiz=quiz, picks=["wrong A", "right"], confidences=["sure", "sure"], days_ago=5)
    submit_attempt(user=people[1], quiz=quiz, picks=["wrong A", "right"], confidences=["guessing", ""], days_ago=5)
    submit_attempt(user=people[2], quiz=quiz, picks=["right", "wrong B"], confidences=["sure", "sure"], days_ago=5)
    submit_attempt(user=people[3], quiz=quiz, picks=["right", "right"], days_ago=5)
    # A later, confidently wrong attempt is not a first attempt.
    submit_attempt(user=people[3], quiz=quiz, picks=["wrong A", "wrong A"], confidences=["sure", "sure"], days_ago=1)
    (analysis,) = item_analysis(quizzes=[quiz], user_ids=[p.pk for p in people])
    first, second = analysis.items
    assert (first.sure_wrong, first.confidently_wrong_percent) == (1, 25)
    assert (second.sure_wrong, second.confidently_wrong_percent) == (1, 25)
