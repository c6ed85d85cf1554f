"""A learner who completes a course of two lessons and a quiz, through the real services, and
the certificates the scheduled task then issues."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Profile
from certificates.services import issue_recent
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
def complete():
    """``complete(user, course)``: every lesson completed and the quiz passed, then the
    minute's run of the scheduled task (``issue=False`` leaves it out)."""

    def run(user, course, *, issue=True):
        for lesson in course.lessons.filter(status=Lesson.Status.PUBLISHED):
            complete_lesson(user=user, lesson=lesson)
        for quiz in course.quizzes.filter(is_published=True):
            submit_attempt(user=user, quiz=quiz, picks=["right"] * quiz.questions.count())
        if issue:
            issue_recent(since=timezone.now() - datetime.timedelta(minutes=10))

    return run


@pytest.fixture
def certificate(holder, course, complete):
    complete(holder, course)
    return holder.certificates.get()
