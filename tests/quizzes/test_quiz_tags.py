"""quizzes/templatetags/quiz_tags.py and the selectors behind them, rendered in small templates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from courses.models import Course
from lessons.models import Lesson
from quizzes.models import Attempt
from quizzes.selectors import quizzes_passed

pytestmark = pytest.mark.django_db


def render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load quiz_tags %}" + source).render(
        Context({"request": request, **context})
    )


def submitted(user, quiz, percent):
    return Attempt.objects.create(
        user=user, quiz=quiz, submitted_at=timezone.now(), score=percent, total=100,
        percent=percent, passed=percent >= quiz.pass_percent,
    )  # fmt: skip


@pytest.fixture
def quizzes(make_quiz, course):
    return {
        "passed": make_quiz(slug="passed-quiz", title="Passed quiz", order=1),
        "trying": make_quiz(slug="trying-quiz", title="Trying quiz", order=2),
        "fresh": make_quiz(slug="fresh-quiz", title="Fresh quiz", order=3, kinds=("single",)),
        "draft": make_quiz(slug="draft-quiz", title="Draft quiz", is_published=False),
    }


def test_course_quizzes_show_each_published_quiz_with_the_learners_status(
    quizzes, course, learner, django_assert_num_queries
):
    submitted(learner, quizzes["passed"], 40)
    submitted(learner, quizzes["passed"], 90)
    submitted(learner, quizzes["trying"], 50)
    with django_assert_num_queries(1):
        html = render("{% course_quizzes course %}", learner, course=course)
    assert '<h2 id="quizzes-clinical-documentation-ai">Quizzes</h2>' in html
    assert html.index("Passed quiz") < html.index("Trying quiz") < html.index("Fresh quiz")
    assert "Draft quiz" not in html
    assert 'href="/quizzes/passed-quiz/"' in html
    assert "Passed · best 90%" in html
    assert "Best score 50% · not passed yet" in html
    assert "Not started" in html
    assert "3 questions" in html and "1 question ·" in html


def test_course_quizzes_cost_one_query_however_many_quizzes_and_attempts(
    make_quiz, course, learner, django_assert_num_queries
):
    for number in range(8):
        quiz = make_quiz(slug=f"quiz-{number}", kinds=("single", "multiple"))
        for percent in (10, 50, 80, 100):
            submitted(learner, quiz, percent)
    with django_assert_num_queries(1):
        html = render("{% course_quizzes course %}", learner, course=course)
    assert html.count("Passed · best 100%") == 8


def test_anonymous_visitors_see_the_quizzes_and_are_asked_to_log_in(quizzes, course):
    html = render("{% course_quizzes course %}", AnonymousUser(), course=course)
    assert html.count("Log in to take it") == 3
    assert "Not started" not in html


def test_other_learners_attempts_do_not_count(quizzes, course, learner, make_user):
    submitted(make_user("omar"), quizzes["passed"], 100)
    html = render("{% course_quizzes course %}", learner, course=course)
    assert html.count("Not started") == 3


def test_a_course_with_no_quizzes_renders_nothing(db, learner):
    empty = Course.objects.create(slug="empty", title="Empty", summary="x", is_published=True)
    assert render("{% course_quizzes course %}", learner, course=empty).strip() == ""


def test_lesson_quizzes_show_only_the_quizzes_that_follow_the_lesson(
    make_quiz, course, learner, django_assert_num_queries
):
    lesson = Lesson.objects.create(course=course, slug="formats", title="Formats", body="x")
    other = Lesson.objects.create(course=course, slug="other", title="Other", body="x")
    make_quiz(slug="after-formats", title="After formats", lesson=lesson)
    make_quiz(slug="elsewhere", title="Elsewhere", lesson=other)
    with django_assert_num_queries(1):
        html = render("{% lesson_quizzes lesson %}", learner, lesson=lesson)
    assert "Check your understanding" in html
    assert "After formats" in html and "Elsewhere" not in html
    lonely = Lesson.objects.create(course=course, slug="lonely", title="Lonely", body="x")
    assert render("{% lesson_quizzes lesson %}", learner, lesson=lonely).strip() == ""


def test_quizzes_passed_counts_each_published_quiz_once(quizzes, course, learner, make_user):
    submitted(learner, quizzes["passed"], 90)
    submitted(learner, quizzes["passed"], 95)
    submitted(learner, quizzes["trying"], 50)
    submitted(learner, quizzes["draft"], 100)
    submitted(make_user("omar"), quizzes["fresh"], 100)
    assert quizzes_passed(user=learner, course=course) == (1, 3)
    assert quizzes_passed(user=AnonymousUser(), course=course) == (0, 3)


def test_course_complete_needs_every_lesson_and_every_quiz(
    quizzes, course, learner, django_assert_num_queries
):
    template = "{% course_complete course done total %}"
    submitted(learner, quizzes["passed"], 90)
    with django_assert_num_queries(1):
        html = render(template, learner, course=course, done=4, total=5)
    assert "Course complete" not in html
    assert "1 lesson to complete and 2 quizzes to pass" in html

    html = render(template, learner, course=course, done=5, total=5)
    assert "2 quizzes to pass" in html and "lesson" not in html.split("Still to do")[1]

    submitted(learner, quizzes["trying"], 80)
    submitted(learner, quizzes["fresh"], 100)
    html = render(template, learner, course=course, done=5, total=5)
    assert "Course complete." in html
    assert "Course complete" not in render(template, learner, course=course, done=3, total=5)


def test_course_complete_says_nothing_to_anonymous_visitors(
    quizzes, course, django_assert_num_queries
):
    with django_assert_num_queries(0):
        html = render("{% course_complete course 5 5 %}", AnonymousUser(), course=course)
    assert html.strip() == ""
