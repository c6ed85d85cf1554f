"""Races on PostgreSQL for practice blocks: one first answer per learner and block, always.

Like test_concurrency.py (whose ``at_once`` releases threads together): 20 answers of one
learner to one check at the same instant, each with its own form token, through the service
and through the HTTP view; exactly one is ``is_first``, none is lost, none fails. And the same
form sent 10 times at once stores one answer. Skipped on SQLite, which serialises writers.
"""

import uuid

import pytest
from django.db import connection

from practice.grading import Submission
from practice.models import BlockAnswer
from practice.selectors import blocks_with_choices
from practice.services import answer_block
from tests.factories import make_block, make_course, make_lesson

from .roles import password_hash
from .test_concurrency import at_once, logged_in

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


def answer_at_once(*, user, check, count: int) -> list[bool]:
    """``count`` right answers to ``check`` by ``user``, each with its own form token, posted
    at the same moment through the real service; whether each was stored."""
    right = check.choices.get(is_correct=True).pk

    def prepare(_):
        return blocks_with_choices([check.slug])[check.slug]

    def work(block):
        submission = Submission(choice_ids=(right,), text="", confidence="", token=uuid.uuid4())
        return answer_block(user=user, block=block, submission=submission).created

    return at_once(count, prepare, work)


def test_twenty_answers_at_once_make_exactly_one_first(learner, check):
    assert all(answer_at_once(user=learner, check=check, count=20))
    assert BlockAnswer.objects.filter(user=learner, block=check).count() == 20
    assert BlockAnswer.objects.filter(user=learner, block=check, is_first=True).count() == 1
    assert learner.lesson_completions.count() == 1


def test_twenty_posts_of_the_view_at_once_make_exactly_one_first(learner, check):
    right = str(check.choices.get(is_correct=True).pk)
    url = f"/practice/{check.slug}/answer/"

    def work(client):
        data = {"choice": right, "token": str(uuid.uuid4()), "next": "/"}
        return client.post(url, data).status_code

    assert at_once(20, lambda _: logged_in(learner), work) == [303] * 20
    assert BlockAnswer.objects.filter(user=learner, is_first=True).count() == 1
    assert BlockAnswer.objects.filter(user=learner).count() == 20


def test_one_form_sent_ten_times_at_once_stores_one_answer(learner, check):
    right = str(check.choices.get(is_correct=True).pk)
    data = {"choice": right, "token": str(uuid.uuid4()), "next": "/"}

    def work(client):
        return client.post(f"/practice/{check.slug}/answer/", data).status_code

    assert at_once(10, lambda _: logged_in(learner), work) == [303] * 10
    assert BlockAnswer.objects.filter(user=learner).count() == 1
