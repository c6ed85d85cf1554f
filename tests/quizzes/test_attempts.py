"""quizzes/attempts.py and quizzes/services.py: issuing one open attempt per learner and quiz, and its fixed order."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.attempts import arrange, attempts_left
from quizzes.grading import AttemptLimitReached
from quizzes.models import Attempt
from quizzes.selectors import learner_attempts, questions_with_choices
from quizzes.services import issue_attempt
from tests.factories import add_question

pytestmark = pytest.mark.django_db


def issue(learner, quiz):
    return issue_attempt(
        user=learner,
        quiz=quiz,
        questions=questions_with_choices(quiz),
        attempts=learner_attempts(user=learner, quiz=quiz),
    )


def test_the_open_attempt_is_reused(learner, quiz):
    first = issue(learner, quiz)
    assert issue(learner, quiz).pk == first.pk
    assert Attempt.objects.count() == 1


def test_two_requests_at_once_share_one_open_attempt(learner, quiz):
    first = issue(learner, quiz)
    # The second request read the learner's attempts before the first one inserted its own.
    second = issue_attempt(
        user=learner, quiz=quiz, questions=questions_with_choices(quiz), attempts=[]
    )
    assert second.pk == first.pk
    assert Attempt.objects.count() == 1


def test_the_database_allows_one_open_attempt_per_learner_and_quiz(learner, quiz):
    Attempt.objects.create(user=learner, quiz=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=learner, quiz=quiz)


def test_no_attempt_is_issued_once_the_limit_is_used(learner, make_quiz):
    quiz = make_quiz(max_attempts=1)
    Attempt.objects.create(user=learner, quiz=quiz, submitted_at=timezone.now())
    with pytest.raises(AttemptLimitReached):
        issue(learner, quiz)
    assert attempts_left(quiz, learner_attempts(user=learner, quiz=quiz)) == 0
    assert Attempt.objects.count() == 1


def test_unlimited_quizzes_have_no_count_of_attempts_left(learner, quiz):
    assert attempts_left(quiz, []) is None


def test_true_false_choices_are_never_shuffled(learner, make_quiz):
    quiz = make_quiz(kinds=["true_false", "single", "multiple"], shuffle=True)
    attempt = issue(learner, quiz)
    true_false = quiz.questions.get(kind="true_false")
    assert str(true_false.pk) not in attempt.choice_order
    arranged = {q.pk: q for q in arrange(questions_with_choices(quiz), attempt)}
    assert [c.text.split()[0] for c in arranged[true_false.pk].shown_choices] == ["True", "False"]


def test_questions_added_after_the_attempt_come_last(learner, make_quiz):
    quiz = make_quiz(kinds=["single", "single"], shuffle=True)
    attempt = issue(learner, quiz)
    late = add_question(quiz=quiz, kind="multiple", number=3)
    arranged = arrange(questions_with_choices(quiz), attempt)
    assert [q.pk for q in arranged[:2]] == attempt.question_order
    assert arranged[-1].pk == late.pk


def test_without_an_attempt_the_authored_order_is_kept(quiz):
    arranged = arrange(questions_with_choices(quiz), None)
    assert [q.order for q in arranged] == [1, 2, 3]
    assert [c.order for c in arranged[1].shown_choices] == [1, 2, 3, 4]
