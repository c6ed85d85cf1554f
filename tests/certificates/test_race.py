"""Exactly one certificate under concurrent completions, on PostgreSQL (see
tests/security/test_concurrency.py for the pattern: real threads released by a barrier)."""

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.services import issue_if_complete
from lessons.services import complete_lesson
from tests.factories import complete_lessons, make_course
from tests.security.test_concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
    ),
]


def test_twenty_concurrent_issues_make_one_certificate(django_user_model):
    user = django_user_model.objects.create(username="racer")
    course = make_course(lessons=2)
    complete_lessons(user=user, lessons=course.lessons.all())
    results = at_once(20, lambda i: None, lambda _: issue_if_complete(user=user, course=course))
    assert Certificate.objects.count() == 1
    assert {result.pk for result in results} == {Certificate.objects.get().pk}


def test_issuing_while_the_last_two_lessons_are_completed_at_once_issues_one_certificate(
    django_user_model,
):
    user = django_user_model.objects.create(username="racer")
    course = make_course(lessons=4)
    lessons = list(course.lessons.order_by("order"))
    complete_lessons(user=user, lessons=lessons[:2])

    def work(index):
        # As the minute's task and the command may run while the learner completes.
        complete_lesson(user=user, lesson=lessons[2 + index % 2])
        return issue_if_complete(user=user, course=course)

    results = at_once(16, lambda i: i, work)
    # A tab that asked before the other lesson's completion committed got None: not complete yet.
    certificate = issue_if_complete(user=user, course=course)
    assert Certificate.objects.filter(user=user, course=course).count() == 1
    assert {result.pk for result in results if result is not None} <= {certificate.pk}
