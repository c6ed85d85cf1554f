"""A passed quiz is acknowledged with the next step (``quizzes.standing``, ``lessons.next_step``),
with htmx (the result in place) and without (the attempt's page after the redirect)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonCompletion
from quizzes.models import Attempt
from tests.factories import make_course, make_lessons, post_data
from tests.quizzes.test_views import HTMX, open_quiz, take_url

pytestmark = pytest.mark.django_db


def submit(client, quiz, *, right, headers):
    _, attempt = open_quiz(client, quiz)
    response = client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt, right=right),
                           headers=headers)  # fmt: skip
    if not headers:
        assert response.status_code == 302
        response = client.get(response["Location"])
    return response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_a_pass_is_acknowledged_with_the_next_lesson(learner_client, learner, quiz, headers):
    first, second = make_lessons(course=quiz.course, count=2)
    LessonCompletion.objects.create(user=learner, lesson=first)
    html = submit(learner_client, quiz, right=True, headers=headers)
    assert "Quiz passed" in html and "Course complete!" not in html
    assert "1 of 2 lessons done" in html
    assert f'href="{second.get_absolute_url()}">Next lesson' in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_a_fail_gets_no_success_panel(learner_client, quiz, headers):
    html = submit(learner_client, quiz, right=False, headers=headers)
    assert "Quiz passed" not in html and "achievement" not in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_the_pass_that_completes_the_course_suggests_the_next_track(
    learner_client, learner, quiz, headers
):
    (lesson,) = make_lessons(course=quiz.course, count=1)
    LessonCompletion.objects.create(user=learner, lesson=lesson)
    later = make_course(slug="later-track", title="Later track", order=5, lessons=1)
    html = submit(learner_client, quiz, right=True, headers=headers)
    assert "Course complete!" in html
    assert f'href="{later.get_absolute_url()}">Start the next track' in html


def test_a_later_failed_attempt_does_not_take_the_pass_away(learner_client, learner, quiz):
    (lesson,) = make_lessons(course=quiz.course, count=1)
    LessonCompletion.objects.create(user=learner, lesson=lesson)
    submit(learner_client, quiz, right=True, headers={})
    submit(learner_client, quiz, right=False, headers={})
    passed = Attempt.objects.filter(user=learner, passed=True).get()
    html = learner_client.get(passed.get_absolute_url()).content.decode()
    assert "Course complete!" in html  # the course is complete: the pass still counts


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_a_submission_reads_the_course_standing_with_the_quiz(learner_client, quiz, method):
    """The page does not show the standing, and compiling its subqueries was a fifth of its
    CPU: only the POST that may grade a pass reads it, in the same query as the quiz."""
    _, attempt = open_quiz(learner_client, quiz)
    data = post_data(quiz=quiz, attempt=attempt, right=True) if method == "post" else None
    with CaptureQueriesContext(connection) as queries:
        getattr(learner_client, method)(take_url(quiz), data)
    quiz_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "quizzes_quiz"."id"')]
    assert len(quiz_reads) == 1
    assert ('"course_lessons"' in quiz_reads[0]) == (method == "post")
