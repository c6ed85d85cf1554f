"""Recording visits and completions: idempotent, one row each, even when requests race; a
visit to the same lesson is written at most every RECORD_VISIT_EVERY, a move at once."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import TestCase

from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from lessons.services import RECORD_VISIT_EVERY, complete_lesson, record_visit, visit_key
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
    recorded(learner, second)
    complete_lesson(user=learner, lesson=first)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.last_lesson == second


def test_completing_without_a_visit_enrols_at_that_lesson(learner):
    lesson = make_lesson(course=make_course())
    complete_lesson(user=learner, lesson=lesson)
    assert Enrollment.objects.get(user=learner).last_lesson == lesson


def recorded(user, lesson, *, kept=True):
    """``record_visit`` for ``lesson``, its write committed (the cache then remembers it)."""
    with TestCase.captureOnCommitCallbacks(execute=kept):
        record_visit(user=user, course_slug=lesson.course.slug, lesson_slug=lesson.slug)


def later(monkeypatch, seconds):
    """The cache's clock, ``seconds`` on: what it remembered for less has expired."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + seconds)


def test_a_first_visit_finds_the_lesson_and_upserts_in_one_statement(learner, django_assert_num_queries):
    first, second = make_lessons(course=make_course(), count=2)
    with django_assert_num_queries(1):
        recorded(learner, first)
    enrolled_at = Enrollment.objects.get().enrolled_at
    with django_assert_num_queries(1):
        recorded(learner, second)
    enrollment = Enrollment.objects.get()
    assert enrollment.last_lesson == second
    assert enrollment.enrolled_at == enrolled_at


def test_the_same_lesson_again_within_the_interval_makes_no_query(learner, django_assert_num_queries):
    lesson = make_lesson(course=make_course())
    recorded(learner, lesson)
    seen = Enrollment.objects.get().last_seen_at
    with django_assert_num_queries(0):
        recorded(learner, lesson)
    assert Enrollment.objects.get().last_seen_at == seen


def test_the_same_lesson_after_the_interval_is_written_again(learner, monkeypatch, django_assert_num_queries):
    lesson = make_lesson(course=make_course())
    recorded(learner, lesson)
    seen = Enrollment.objects.get().last_seen_at
    later(monkeypatch, RECORD_VISIT_EVERY - 1)
    with django_assert_num_queries(0):
        recorded(learner, lesson)
    later(monkeypatch, RECORD_VISIT_EVERY + 1)
    with django_assert_num_queries(1):
        recorded(learner, lesson)
    assert Enrollment.objects.get().last_seen_at > seen


def test_another_lesson_is_written_at_once_and_back_again(learner):
    course = make_course()
    first, second = make_lessons(course=course, count=2)
    for lesson in (first, second, first):
        recorded(learner, lesson)
        assert Enrollment.objects.get(user=learner, course=course).last_lesson == lesson


def test_the_interval_is_per_learner(learner, make_user):
    lesson = make_lesson(course=make_course())
    other = make_user("other")
    recorded(learner, lesson)
    recorded(other, lesson)
    assert Enrollment.objects.filter(course=lesson.course).count() == 2


@pytest.mark.parametrize("case", ["draft lesson", "draft course", "unknown lesson", "unknown course", "other course"])
def test_drafts_and_unknown_slugs_record_nothing(learner, case):
    course = make_course()
    lesson = make_lesson(course=course, status=Lesson.Status.DRAFT if case == "draft lesson" else Lesson.Status.PUBLISHED)
    if case == "draft course":
        Course.objects.filter(pk=course.pk).update(is_published=False)
    other = make_course()
    course_slug, lesson_slug = {
        "unknown lesson": (course.slug, "no-such-lesson"),
        "unknown course": ("no-such-course", lesson.slug),
        "other course": (other.slug, lesson.slug),  # a lesson's slug is unique in its course only
    }.get(case, (course.slug, lesson.slug))
    with TestCase.captureOnCommitCallbacks(execute=True):
        record_visit(user=learner, course_slug=course_slug, lesson_slug=lesson_slug)
    assert not Enrollment.objects.exists()
    assert cache.get(visit_key(learner.pk)) is None


def test_a_rolled_back_write_is_not_remembered(learner):
    lesson = make_lesson(course=make_course())
    with pytest.raises(RuntimeError), transaction.atomic():
        recorded(learner, lesson, kept=False)
        raise RuntimeError
    assert not Enrollment.objects.exists()
    recorded(learner, lesson)
    assert Enrollment.objects.get().last_lesson == lesson


@pytest.mark.parametrize("how", ["the enrolment", "every enrolment of the course"])
def test_a_deleted_enrolment_is_made_again_by_the_next_visit(learner, how):
    lesson = make_lesson(course=make_course())
    course = lesson.course
    recorded(learner, lesson)
    match how:
        case "the enrolment":  # the admin's delete
            Enrollment.objects.get(user=learner, course=course).delete()
        case "every enrolment of the course":  # a queryset's delete sends the signal too
            Enrollment.objects.filter(course=course).delete()
    recorded(learner, lesson)
    assert Enrollment.objects.get(user=learner, course=course).last_lesson == lesson


def test_a_deleted_account_leaves_nothing_remembered(learner):
    lesson = make_lesson(course=make_course())
    recorded(learner, lesson)
    user_id = learner.pk
    learner.delete()
    assert cache.get(visit_key(user_id)) is None


def test_a_visit_is_one_statement_that_finds_the_lesson_and_upserts(learner, django_assert_num_queries):
    lesson = make_lesson(course=make_course())
    with django_assert_num_queries(1), TestCase.captureOnCommitCallbacks(execute=True):
        record_visit(user=learner, course_slug=lesson.course.slug, lesson_slug=lesson.slug)
    assert Enrollment.objects.get().last_lesson == lesson


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
