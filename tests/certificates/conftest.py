"""A learner who completes a course of two lessons and a quiz, through the real services."""

import pytest

from accounts.models import Profile
from lessons.models import Lesson
from lessons.services import complete_lesson
from tests.factories import make_course, make_quiz, submit_attempt

NAME = "Dr Zoë Ångström-Łukasz"


@pytest.fixture
def course(db):
    course = make_course(slug="clinical-notes", title="Clinical documentation AI", lessons=2)
    make_quiz(course=course, slug="notes-quiz", title="Notes quiz", questions=2)
    return course


@pytest.fixture
def holder(make_user):
    user = make_user("zoe")
    Profile.objects.create(user=user, display_name=NAME)
    return user


@pytest.fixture
def complete(django_capture_on_commit_callbacks):
    """``complete(user, course)``: every lesson completed and the quiz passed, with the
    commit hooks run (where certificates are issued)."""

    def run(user, course):
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in course.lessons.filter(status=Lesson.Status.PUBLISHED):
                complete_lesson(user=user, lesson=lesson)
            for quiz in course.quizzes.filter(is_published=True):
                submit_attempt(user=user, quiz=quiz, picks=["right"] * quiz.questions.count())

    return run


@pytest.fixture
def certificate(holder, course, complete):
    complete(holder, course)
    return holder.certificates.get()
