"""quizzes/grading.py and quizzes/services.py: the rules for a right answer, and submitting an
attempt exactly once."""

import threading

import pytest
from django.db import close_old_connections, connection

from quizzes.grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    InvalidAnswers,
    UnansweredQuestions,
    grade_answers,
    has_passed,
    is_answer_right,
    percent_of,
)
from quizzes.models import Attempt, Question, Response
from quizzes.services import submit_attempt
from tests.factories import answer_ids

SINGLE, MULTIPLE, TRUE_FALSE = (
    Question.Kind.SINGLE,
    Question.Kind.MULTIPLE,
    Question.Kind.TRUE_FALSE,
)


# The pure rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [SINGLE, TRUE_FALSE])
def test_one_answer_kinds_are_right_only_with_exactly_the_right_choice(kind):
    assert is_answer_right(kind, {2}, {2})
    assert not is_answer_right(kind, {1}, {2})
    assert not is_answer_right(kind, {1, 2}, {2})
    assert not is_answer_right(kind, set(), {2})


def test_multiple_is_right_only_when_the_chosen_set_equals_the_right_set():
    assert is_answer_right(MULTIPLE, {1, 3}, {1, 3})
    assert not is_answer_right(MULTIPLE, {1}, {1, 3}), "a partial set is wrong"
    assert not is_answer_right(MULTIPLE, {1, 3, 4}, {1, 3}), "a superset is wrong"
    assert not is_answer_right(MULTIPLE, {2, 4}, {1, 3})
    assert not is_answer_right(MULTIPLE, set(), {1, 3})


def test_a_question_with_no_right_choice_cannot_be_answered_right():
    assert not is_answer_right(MULTIPLE, set(), set())
    assert not is_answer_right(SINGLE, set(), set())


@pytest.mark.parametrize(
    ("score", "total", "percent"),
    [(0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (7, 10, 70), (0, 0, 0)],
)
def test_percent_is_rounded_down_and_zero_for_an_empty_quiz(score, total, percent):
    assert percent_of(score, total) == percent


def test_passing_needs_the_pass_mark_and_at_least_one_question():
    assert has_passed(7, 10, 70)
    assert not has_passed(2, 3, 67), "66.7% rounds down, so it does not reach 67%"
    assert has_passed(0, 5, 0)
    assert not has_passed(0, 0, 0), "an empty quiz is never passed"


def test_grade_all_right_all_wrong_and_partial(quiz):
    questions = list(quiz.questions.prefetch_related("choices"))
    all_right = grade_answers(questions=questions, answers=answer_ids(quiz=quiz), pass_percent=70)
    assert (all_right.score, all_right.total, all_right.percent, all_right.passed) == (
        3,
        3,
        100,
        True,
    )

    all_wrong = grade_answers(
        questions=questions, answers=answer_ids(quiz=quiz, right=False), pass_percent=70
    )
    assert (all_wrong.score, all_wrong.percent, all_wrong.passed) == (0, 0, False)

    multiple = next(q for q in questions if q.kind == MULTIPLE)
    first_right = next(c.pk for c in multiple.choices.all() if c.is_correct)
    partial = answer_ids(quiz=quiz)
    partial[multiple.pk] = {first_right}
    graded = grade_answers(questions=questions, answers=partial, pass_percent=70)
    assert (graded.score, graded.percent, graded.passed) == (2, 66, False)
    assert [item.is_correct for item in graded.questions] == [True, False, True]


# submit_attempt ----------------------------------------------------------------------------


@pytest.fixture
def attempt(quiz, learner):
    return Attempt.objects.create(user=learner, quiz=quiz)


@pytest.mark.parametrize("kinds", [("single",), ("multiple",), ("true_false",)])
def test_submit_grades_every_kind(make_quiz, learner, kinds):
    quiz = make_quiz(kinds=kinds)
    attempt = Attempt.objects.create(user=learner, quiz=quiz)
    submit_attempt(attempt=attempt, answers=answer_ids(quiz=quiz))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (1, 1, 100, True)
    assert attempt.submitted_at is not None


def test_submit_stores_the_result_and_one_response_per_question_with_its_choices(quiz, attempt):
    answers = answer_ids(quiz=quiz)
    multiple = quiz.questions.get(kind=MULTIPLE)
    answers[multiple.pk] = {min(answers[multiple.pk])}  # half the right set: wrong
    submission = submit_attempt(attempt=attempt, answers=answers)

    assert submission.attempt is attempt
    assert (submission.grade.score, submission.grade.percent, submission.grade.passed) == (2, 66, False)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.score, stored.total, stored.percent, stored.passed) == (2, 3, 66, False)
    assert (attempt.score, attempt.percent, attempt.passed) == (2, 66, False)
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    assert set(responses) == set(answers)
    for question_id, chosen in answers.items():
        assert set(responses[question_id].chosen.values_list("pk", flat=True)) == chosen
    assert responses[multiple.pk].is_correct is False
    assert sum(r.is_correct for r in responses.values()) == 2


def test_all_wrong_scores_zero_and_fails(quiz, attempt):
    submit_attempt(attempt=attempt, answers=answer_ids(quiz=quiz, right=False))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (0, 3, 0, False)


def test_an_empty_quiz_scores_zero_of_zero_and_is_not_passed(make_quiz, learner):
    quiz = make_quiz(kinds=(), pass_percent=0)
    attempt = Attempt.objects.create(user=learner, quiz=quiz)
    submit_attempt(attempt=attempt, answers={})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (0, 0, 0, False)
    assert attempt.is_submitted
    assert not Response.objects.exists()


def test_unanswered_questions_are_named_and_nothing_is_saved(quiz, attempt):
    answers = answer_ids(quiz=quiz)
    missing = quiz.questions.get(kind=TRUE_FALSE).pk
    answers[missing] = set()
    with pytest.raises(UnansweredQuestions) as refusal:
        submit_attempt(attempt=attempt, answers=answers)
    assert refusal.value.question_ids == {missing}
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Response.objects.exists()


def test_a_choice_of_another_question_is_refused(quiz, attempt):
    answers = answer_ids(quiz=quiz)
    single, tf = quiz.questions.get(kind=SINGLE), quiz.questions.get(kind=TRUE_FALSE)
    answers[single.pk] = {tf.choices.first().pk}
    with pytest.raises(InvalidAnswers, match="does not belong"):
        submit_attempt(attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Response.objects.exists()


def test_several_choices_for_a_one_answer_question_are_refused(quiz, attempt):
    answers = answer_ids(quiz=quiz)
    single = quiz.questions.get(kind=SINGLE)
    answers[single.pk] = set(single.choices.values_list("pk", flat=True))
    with pytest.raises(InvalidAnswers, match="takes one answer"):
        submit_attempt(attempt=attempt, answers=answers)


def test_a_question_from_another_quiz_is_refused(quiz, attempt, make_quiz):
    other = make_quiz(slug="other")
    answers = answer_ids(quiz=quiz) | answer_ids(quiz=other)
    with pytest.raises(InvalidAnswers, match="not part of this quiz"):
        submit_attempt(attempt=attempt, answers=answers)


def test_the_same_attempt_is_graded_once_when_posted_twice(quiz, attempt):
    submit_attempt(attempt=attempt, answers=answer_ids(quiz=quiz))
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.submitted_at = None  # a second request that read the attempt before the first ended
    with pytest.raises(AttemptAlreadySubmitted):
        submit_attempt(attempt=stale, answers=answer_ids(quiz=quiz, right=False))
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert Response.objects.filter(attempt=attempt).count() == 3


def test_a_submitted_attempt_object_is_refused_before_any_query(
    quiz, attempt, django_assert_num_queries
):
    submit_attempt(attempt=attempt, answers=answer_ids(quiz=quiz))
    with django_assert_num_queries(0), pytest.raises(AttemptAlreadySubmitted):
        submit_attempt(attempt=attempt, answers={})


def test_max_attempts_is_enforced_at_submission(make_quiz, learner):
    quiz = make_quiz(max_attempts=1)
    first = Attempt.objects.create(user=learner, quiz=quiz)
    submit_attempt(attempt=first, answers=answer_ids(quiz=quiz))
    # An attempt issued before the instructor lowered the limit, say.
    second = Attempt.objects.create(user=learner, quiz=quiz)
    with pytest.raises(AttemptLimitReached, match="all 1 attempt"):
        submit_attempt(attempt=second, answers=answer_ids(quiz=quiz))
    second.refresh_from_db()
    assert second.submitted_at is None
    assert Response.objects.filter(attempt=second).count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_are_graded_once(make_quiz, learner):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    quiz = make_quiz()
    attempt = Attempt.objects.create(user=learner, quiz=quiz)
    right = answer_ids(quiz=quiz)
    wrong = answer_ids(quiz=quiz, right=False)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(answers):
        try:
            mine = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
            questions = list(quiz.questions.prefetch_related("choices"))
            barrier.wait(timeout=10)
            submit_attempt(attempt=mine, answers=answers, questions=questions)
            outcomes.append("graded")
        except AttemptAlreadySubmitted:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in (right, wrong)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["graded", "refused"]
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.score in (0, 3)
    assert Response.objects.filter(attempt=attempt).count() == 3
