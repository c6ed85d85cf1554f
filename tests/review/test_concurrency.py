"""Races on PostgreSQL for review cards: one card per learner and question, always.

20 answers of one learner to one question at the same instant (through the practice service,
each with its own form token, and through a quiz's practice step in 20 attempts' worth of
signals) make exactly one card, with every rating logged; 10 reviews of one due card at once
move it once. Skipped on SQLite, which serialises writers. Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pytest tests/review/test_concurrency.py``.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core import events
from quizzes.models import Question
from review import services
from review.answers import ReviewRefused
from review.models import Card, ReviewLog
from tests.factories import make_block, make_card, make_course, make_lesson, make_quiz
from tests.security.roles import password_hash
from tests.security.test_concurrency import at_once
from tests.security.test_practice_concurrency import answer_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
    ),
]


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create(username="racer", password=password_hash())


@pytest.fixture
def check():
    course = make_course()
    block = make_block(course=course, slug="race-check")
    make_lesson(course=course, slug="race-lesson", body="[[check:race-check]]")
    return block


def test_twenty_answers_to_one_check_at_once_make_exactly_one_card(learner, check):
    assert all(answer_at_once(user=learner, check=check, count=20))
    assert Card.objects.filter(user=learner, block=check).count() == 1
    assert ReviewLog.objects.filter(card__user=learner).count() == 20


def test_twenty_answers_to_one_quiz_question_at_once_make_exactly_one_card(learner):
    question = make_quiz(course=make_course(), questions=1).questions.get()

    def prepare(index):
        return Question.objects.get(pk=question.pk)

    def work(item):
        events.send([events.Answer(user=learner, item=item, is_correct=False, confidence="",
                                   answered_at=timezone.now(), first_try=False, source="quiz")],
                    sender=Question)  # fmt: skip
        return True

    assert all(at_once(20, prepare, work))
    card = Card.objects.get(user=learner, question=question)
    assert card.due <= timezone.now() + datetime.timedelta(days=1)
    assert ReviewLog.objects.filter(card=card).count() == 20


def test_ten_reviews_of_one_card_at_once_move_it_once(learner, check):
    card = make_card(user=learner, item=check, due=timezone.now() - datetime.timedelta(days=1))

    def prepare(_):
        found = Card.objects.select_related("block").get(pk=card.pk)
        found.user = learner
        return found

    def work(found):
        try:
            services.review(card=found, chosen=[], is_correct=True, confidence="",
                            now=timezone.now())  # fmt: skip
        except ReviewRefused:
            return False
        return True

    assert sum(at_once(10, prepare, work)) == 1
    assert ReviewLog.objects.filter(card=card, source="review").count() == 1
