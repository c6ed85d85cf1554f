"""Recording visits and completions: idempotent, one row each, even when requests race."""

import threading

import pytest
from django.db import connection, connections

from courses.models import Enrollment
from lessons.models import LessonCompletion
from lessons.services import complete_lesson, record_visit
from tests.factories import make_course, make_lesson, make_lessons

pytestmark = pytest.mark.django_db


def test_complete_lesson_is_idempotent(learner):
    lesson = make_lesson(course=make_course())
    first, created = complete_lesson(user=learner, lesson=lesson)
    again, created_again = complete_lesson(user=learner, lesson=lesson)
    assert created and not created_again
    assert first.pk == again.pk
    assert LessonCompletion.objects.count() == 1


def test_complete_lesson_enrols_once_and_keeps_an_existing_resume_point(learner):
    course = make_course()
    first, second = make_lessons(course=course, count=2)
    record_visit(user=learner, lesson=second)
    complete_lesson(user=learner, lesson=first)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.last_lesson == second


def test_completing_without_a_visit_enrols_at_that_lesson(learner):
    lesson = make_lesson(course=make_course())
    complete_lesson(user=learner, lesson=lesson)
    assert Enrollment.objects.get(user=learner).last_lesson == lesson


def test_record_visit_is_one_upsert(learner, django_assert_num_queries):
    course = make_course()
    first, second = make_lessons(course=course, count=2)
    with django_assert_num_queries(1):
        record_visit(user=learner, lesson=first)
    enrolled_at = Enrollment.objects.get().enrolled_at
    with django_assert_num_queries(1):
        record_visit(user=learner, lesson=second)
    enrollment = Enrollment.objects.get()
    assert enrollment.last_lesson == second
    assert enrollment.enrolled_at == enrolled_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_completions_make_one_row(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    learner = make_user("racer")
    lesson = make_lesson(course=make_course())
    workers = 8
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def complete():
        try:
            barrier.wait()
            results.append(complete_lesson(user=learner, lesson=lesson)[1])
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False] * (workers - 1) + [True]
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    assert Enrollment.objects.filter(user=learner).count() == 1
