"""review/services.py: answers in lessons and quizzes schedule cards; reviews, snoozes, on/off."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from review import services
from review.answers import ReviewRefused
from review.models import Card, ReviewLog
from tests.factories import complete_lessons, make_card, submit_attempt
from tests.practice.conftest import form

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def answer(client, block, **kwargs):
    return client.post(reverse("practice:answer", kwargs={"slug": block.slug}), form(block, **kwargs))


def test_the_first_answer_to_a_check_schedules_a_card(learner_client, learner, lesson, check, on_commit):
    with on_commit():
        answer(learner_client, check, picks=["right"], confidence="sure")
    card = Card.objects.get(user=learner)
    assert card.block == check and card.question is None
    assert card.due > timezone.now() + DAY  # right and sure: Easy, days away
    log = ReviewLog.objects.get(card=card)
    assert (log.rating, log.source, log.is_correct, log.confidence) == (4, "check", True, "sure")


def test_a_wrong_answer_is_due_again_within_a_day(learner_client, learner, lesson, check, on_commit):
    with on_commit():
        answer(learner_client, check, picks=["wrong A"])
    card = Card.objects.get(user=learner)
    assert timezone.now() < card.due <= timezone.now() + DAY


def test_answering_again_rates_the_same_card(learner_client, learner, lesson, check, on_commit):
    with on_commit():
        answer(learner_client, check, picks=["right"], confidence="sure")
        answer(learner_client, check, picks=["wrong B"], confidence="sure")
    card = Card.objects.get(user=learner)
    assert card.due <= timezone.now() + DAY
    assert list(card.logs.order_by("pk").values_list("rating", flat=True)) == [4, 1]


def test_a_prediction_in_words_makes_no_card(learner_client, learner, lesson, in_words, on_commit):
    with on_commit():
        response = answer(learner_client, in_words, text="It will fail.")
    assert response.status_code == 303
    assert not Card.objects.exists()


def test_nothing_is_scheduled_before_the_answer_commits(learner_client, lesson, check):
    answer(learner_client, check, picks=["right"])  # callbacks never run: rolled back
    assert not Card.objects.exists()


def test_a_quiz_makes_one_card_per_question_in_one_batch(learner, quiz, on_commit):
    with on_commit() as callbacks:
        submit_attempt(user=learner, quiz=quiz, picks=["right", "wrong A", "right"],
                       confidences=["guessing", "sure", ""])  # fmt: skip
    assert len(callbacks) == 1
    cards = {c.question.order: c for c in Card.objects.filter(user=learner).select_related("question")}
    assert sorted(cards) == [1, 2, 3]
    ratings = dict(ReviewLog.objects.values_list("card__question__order", "rating"))
    assert ratings == {1: 2, 2: 1, 3: 3}  # Hard, Again, Good
    assert set(ReviewLog.objects.values_list("source", flat=True)) == {"quiz"}


def test_a_second_attempt_rates_the_cards_again_not_new_ones(learner, quiz, on_commit):
    with on_commit():
        submit_attempt(user=learner, quiz=quiz, picks=["right"] * 3)
        submit_attempt(user=learner, quiz=quiz, picks=["wrong A"] * 3)
    assert Card.objects.filter(user=learner).count() == 3
    assert ReviewLog.objects.count() == 6


def test_quiz_answers_say_whether_they_are_first_tries(learner, quiz, on_commit):
    from core import events

    seen = []

    def receiver(sender, **payload):
        seen.append(payload["first_try"])

    events.answer_recorded.connect(receiver)
    try:
        with on_commit():
            submit_attempt(user=learner, quiz=quiz, picks=["right"] * 3)
            submit_attempt(user=learner, quiz=quiz, picks=["right"] * 3)
    finally:
        events.answer_recorded.disconnect(receiver)
    assert seen == [True] * 3 + [False] * 3


def test_a_review_moves_the_card_and_logs_it(learner, check):
    card = make_card(user=learner, item=check)
    now = timezone.now()
    log = services.review(card=card, chosen=[check.choices.get(text="right").pk], is_correct=True,
                          confidence="think_so", now=now)  # fmt: skip
    card.refresh_from_db()
    assert card.due > now and log.rating == 3 and log.source == "review"


def test_a_card_that_is_not_due_cannot_be_reviewed(learner, check):
    later = timezone.now() + DAY
    card = make_card(user=learner, item=check, due=later)
    with pytest.raises(ReviewRefused) as refused:
        services.review(card=card, chosen=[], is_correct=True, confidence="", now=timezone.now())
    assert refused.value.status == 409
    card.refresh_from_db()
    assert card.due == later and not ReviewLog.objects.exists()


def test_snoozing_puts_due_cards_off_a_day(learner, check, quiz):
    now = timezone.now()
    one = make_card(user=learner, item=check, due=now - DAY)
    two = make_card(user=learner, item=quiz.questions.first(), due=now - DAY)
    assert services.snooze(user=learner, now=now, card_id=one.pk) == 1
    one.refresh_from_db()
    assert one.due == now + DAY
    assert services.snooze(user=learner, now=now) == 1
    two.refresh_from_db()
    assert two.due == now + DAY


def test_someone_elses_card_cannot_be_snoozed(learner, make_user, check):
    other = make_card(user=make_user("other"), item=check, due=timezone.now() - DAY)
    with pytest.raises(ReviewRefused) as refused:
        services.snooze(user=learner, now=timezone.now(), card_id=other.pk)
    assert refused.value.status == 404


def test_completing_a_course_does_not_stop_reviews(learner, lesson, check, quiz, on_commit):
    """Boosters: after the course, cards keep coming back at FSRS's growing intervals."""
    with on_commit():
        submit_attempt(user=learner, quiz=quiz, picks=["right"] * 3)
    complete_lessons(user=learner, lessons=[lesson])
    card = Card.objects.filter(user=learner).first()
    intervals = []
    for _ in range(4):
        before = card.due
        services.review(card=card, chosen=[], is_correct=True, confidence="", now=before)
        card.refresh_from_db()
        intervals.append(card.due - before)
    assert intervals == sorted(intervals) and intervals[-1] > 3 * DAY
