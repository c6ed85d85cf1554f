"""/progress/ reads the learner's courses with a query compiled once (``core.kept_queries``):
for every learner it gives what the queryset ``learner_courses`` gives."""

import datetime

import pytest

from progress.selectors import learner_courses
from progress.selectors.learner import _learner_courses
from tests.factories import (
    complete_lessons,
    enrol,
    make_course,
    make_person,
    make_quiz,
    make_team,
    published_lessons,
    submit_attempt,
)

pytestmark = pytest.mark.django_db

ANNOTATIONS = ("is_started", "is_assigned", "next_lesson_slug", "next_lesson_title", "checks_total",
               "checks_answered", "due_on", "lessons_total", "quizzes_total", "quiz_list")  # fmt: skip


def as_read(courses):
    return [
        (course.pk, course.slug, course.title, course.order,
         *(getattr(course, name) for name in ANNOTATIONS))  # fmt: skip
        for course in courses
    ]


def test_the_kept_query_reads_each_learners_own_courses_as_the_queryset_does():
    ann, bob, cat = (make_person(username=name) for name in ("ann", "bob", "cat"))
    started = make_course(slug="started", lessons=3, order=1)
    assigned = make_course(slug="assigned", lessons=2, order=2)
    quizzed = make_course(slug="quizzed", lessons=1, order=3)
    make_course(slug="untouched", lessons=1, order=4)
    complete_lessons(user=ann, lessons=published_lessons(course=started)[:1])
    enrol(user=bob, course=started)
    make_team(courses=[assigned], members=[ann], due_on=datetime.date(2031, 5, 4))
    submit_attempt(user=bob, quiz=make_quiz(course=quizzed, slug="q", questions=1), picks=["right"])

    for user, slugs in ((ann, ["started", "assigned"]), (bob, ["started", "quizzed"]), (cat, [])):
        kept = _learner_courses.objects(user.pk)
        assert [course.slug for course in kept] == slugs
        assert as_read(kept) == as_read(learner_courses(user))
    (due,) = [c for c in _learner_courses.objects(ann.pk) if c.slug == "assigned"]
    assert due.due_on == datetime.date(2031, 5, 4) and due.is_assigned is True
    assert not due._state.adding and due._state.db == "default"
