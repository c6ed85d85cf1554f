"""quizzes/attempts.py and quizzes/services.py: issuing one open attempt per learner and quiz,
its paper (shuffled, drawn from a pool), and the wait between attempts."""

import datetime
import random
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.attempts import (
    arrange,
    attempts_left,
    deal,
    minutes_until,
    retry_available_at,
    wait_message,
)
from quizzes.grading import AttemptLimitReached, RetryTooSoon
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


# The paper: shuffled and drawn per attempt --------------------------------------------------


def test_a_new_quiz_shuffles_by_default(course):
    from quizzes.models import Quiz

    assert Quiz(course=course, slug="new", title="New").shuffle is True


def test_two_attempts_get_different_orders_and_true_false_stays_true_then_false(make_quiz):
    quiz = make_quiz(kinds=["single", "multiple", "true_false"] * 4, shuffle=True)
    questions = questions_with_choices(quiz)
    first, second = deal(quiz, questions, rng=random.Random(1)), deal(quiz, questions, rng=random.Random(2))
    authored = [q.pk for q in questions]
    assert sorted(first.question_order) == sorted(second.question_order) == sorted(authored)
    assert first.question_order != second.question_order
    assert authored not in (first.question_order, second.question_order)
    assert first.choice_order != second.choice_order
    true_false = {q.pk for q in questions if q.kind == "true_false"}
    assert not true_false & {int(pk) for pk in first.choice_order}
    # The same seed deals the same paper: the order is the generator's, not the authored one.
    assert deal(quiz, questions, rng=random.Random(1)) == first


def test_an_unshuffled_quiz_keeps_the_authored_order(make_quiz):
    quiz = make_quiz(kinds=["single"] * 5, shuffle=False)
    questions = questions_with_choices(quiz)
    paper = deal(quiz, questions, rng=random.Random(3))
    assert paper.question_order == [q.pk for q in questions] and paper.choice_order == {}


def test_a_pool_draws_n_questions_per_attempt_and_a_retry_is_another_paper(make_quiz):
    quiz = make_quiz(kinds=["single"] * 10, shuffle=False, draw_count=4)
    questions = questions_with_choices(quiz)
    first, second = deal(quiz, questions, rng=random.Random(1)), deal(quiz, questions, rng=random.Random(5))
    assert len(first.question_order) == len(second.question_order) == 4
    assert first.is_drawn and set(first.question_order) != set(second.question_order)
    authored = [q.pk for q in questions]
    assert first.question_order == [pk for pk in authored if pk in first.question_order]


def test_drawing_every_question_is_no_draw(make_quiz):
    quiz = make_quiz(kinds=["single"] * 3, draw_count=3)
    paper = deal(quiz, questions_with_choices(quiz), rng=random.Random(1))
    assert not paper.is_drawn and len(paper.question_order) == 3


def test_a_drawn_attempt_holds_only_its_questions_even_when_questions_are_added(learner, make_quiz):
    quiz = make_quiz(kinds=["single"] * 6, shuffle=True, draw_count=2)
    attempt = issue(learner, quiz)
    assert attempt.is_drawn and len(attempt.question_order) == 2
    add_question(quiz=quiz, kind="multiple", number=7)
    arranged = arrange(questions_with_choices(quiz), attempt)
    assert [q.pk for q in arranged] == attempt.question_order
    assert issue(learner, quiz).question_order == attempt.question_order, "a reload keeps it"


def test_the_attempt_takes_the_quizs_mode(learner, make_quiz):
    assert issue(learner, make_quiz(mode="practice")).is_practice


# The wait between attempts, with a frozen clock ---------------------------------------------

NOW = datetime.datetime(2025, 3, 4, 13, 53, tzinfo=datetime.UTC)


def submitted(quiz, minutes_ago):
    return Attempt(quiz=quiz, submitted_at=NOW - datetime.timedelta(minutes=minutes_ago))


def test_no_wait_unless_the_quiz_asks_for_one(make_quiz):
    quiz = make_quiz(retry_wait_minutes=0)
    assert retry_available_at(quiz, [submitted(quiz, 1)], now=NOW) is None


def test_the_next_attempt_waits_from_the_last_submission(make_quiz):
    quiz = make_quiz(retry_wait_minutes=15)
    attempts = [submitted(quiz, 60), submitted(quiz, 3)]
    available = retry_available_at(quiz, attempts, now=NOW)
    assert available == NOW + datetime.timedelta(minutes=12)
    assert minutes_until(available, now=NOW) == 12
    assert retry_available_at(quiz, attempts, now=NOW + datetime.timedelta(minutes=12)) is None
    assert retry_available_at(quiz, [], now=NOW) is None
    # An open attempt is never held back.
    assert retry_available_at(quiz, [*attempts, Attempt(quiz=quiz)], now=NOW) is None


def test_the_wait_message_names_the_local_time_and_the_minutes_left(settings):
    settings.TIME_ZONE = "Europe/London"
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        later = NOW + datetime.timedelta(minutes=12)
        assert wait_message(later, now=NOW) == "You can try again at 14:05, in 12 minutes."
        a_minute = NOW + datetime.timedelta(seconds=20)
        assert wait_message(a_minute, now=NOW) == "You can try again at 13:53, in 1 minute."
        tomorrow = NOW + datetime.timedelta(hours=20)
        assert wait_message(tomorrow, now=NOW) == (
            "You can try again at 09:53 on 5 Mar 2025, in about 20 hours."
        )


def test_issuing_during_the_wait_is_refused_and_after_it_allowed(learner, make_quiz):
    quiz = make_quiz(retry_wait_minutes=15)
    Attempt.objects.create(user=learner, quiz=quiz, submitted_at=NOW - datetime.timedelta(minutes=3))
    attempts = learner_attempts(user=learner, quiz=quiz)
    with pytest.raises(RetryTooSoon, match="in 12 minutes") as refusal:
        issue_attempt(user=learner, quiz=quiz, questions=questions_with_choices(quiz),
                      attempts=attempts, now=NOW)  # fmt: skip
    assert refusal.value.minutes == 12
    assert Attempt.objects.count() == 1
    later = NOW + datetime.timedelta(minutes=12)
    issue_attempt(user=learner, quiz=quiz, questions=questions_with_choices(quiz),
                  attempts=attempts, now=later)  # fmt: skip
    assert Attempt.objects.filter(submitted_at__isnull=True).count() == 1
