"""Races on PostgreSQL: many requests at the same instant grade once, complete once, lose nothing.

Each test starts real threads (each with its own database connection, closed when the thread
ends), lines them up on a barrier and lets them go at once, through the apps' own service
functions and through the HTTP views with one test client per thread:

- 20 submissions of the same quiz attempt: one graded attempt and one set of Responses, and
  every request answered (the others see "already submitted"), never an error;
- 50 completions of the same lesson: one LessonCompletion row and one Enrollment;
- two tabs of one learner saving at once: two submissions of predictions, or completions of
  two different lessons, are both kept; two tabs opening a quiz share one attempt; two tabs
  viewing lessons keep one Enrollment; joining a team twice at once makes one Membership.

SQLite serialises writers, so there is no race to see there: these tests run only on
PostgreSQL (DATABASE_URL=postgres://... DJANGO_TEST_DB_NAME=test_<you>), and skip otherwise.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import Membership
from accounts.services import join_team
from courses.models import Enrollment
from lessons.models import LessonCompletion
from lessons.services import complete_lesson
from matrix.models import DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction, MatrixRow
from matrix.services import record_predictions
from quizzes.grading import AttemptAlreadySubmitted
from quizzes.models import Attempt, Quiz, Response
from quizzes.selectors import questions_with_choices
from quizzes.services import issue_attempt, submit_attempt
from tests.factories import add_question, make_course, make_lesson, make_team, post_data, visit

from .roles import password_hash

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
    ),
]


def at_once(count: int, prepare, work) -> list:
    """Run ``work(prepared)`` in ``count`` threads released together; return their results.

    ``prepare(i)`` runs first in each thread (logging in, loading rows), so that only ``work``
    races. Any exception in a thread fails the test, with the thread's error.
    """
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            prepared = prepare(index)
            barrier.wait(timeout=60)
            results[index] = work(prepared)
        except BaseException as error:  # noqa: BLE001 (reported below, with the others)
            errors.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    assert errors == [], errors
    return results


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create(username="racer", password=password_hash())


@pytest.fixture
def course():
    return make_course()


@pytest.fixture
def quiz(course):
    quiz = Quiz.objects.create(course=course, slug="race-quiz", title="Race", is_published=True)
    for number, kind in enumerate(("single", "multiple", "true_false"), start=1):
        add_question(quiz=quiz, kind=kind, number=number)
    return quiz


@pytest.fixture
def matrix():
    matrix = DecisionMatrix.objects.create(slug="race-matrix", title="Race", is_published=True)
    weak = MatrixColumn.objects.create(matrix=matrix, key="weak", label="Weak", is_default=True)
    strong = MatrixColumn.objects.create(matrix=matrix, key="strong", label="Strong", order=1)
    # The verdicts to choose from: "Fine-tune wins", "No difference", "Generalist wins".
    weak_verdicts = {"coverage": ("No difference", "no_difference")}
    for order, key in enumerate(("coverage", "format", "audit")):
        row = MatrixRow.objects.create(matrix=matrix, key=key, label=key.title(), order=order)
        verdict, winner = weak_verdicts.get(key, ("Fine-tune wins", "fine_tune"))
        MatrixCell.objects.create(
            row=row, column=weak, verdict=verdict, winner=winner, explanation="Why."
        )
        MatrixCell.objects.create(
            row=row, column=strong, verdict="Generalist wins", winner="generalist", explanation="Why."
        )
    return matrix


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_attempt(user, quiz) -> Attempt:
    return issue_attempt(user=user, quiz=quiz, questions=questions_with_choices(quiz), attempts=[])


# --- one quiz attempt, submitted 20 times at once ----------------------------------------


def test_twenty_submissions_of_one_attempt_grade_it_once(learner, quiz):
    attempt = open_attempt(learner, quiz)
    answers = {int(q[1:]): {int(c) for c in cs} for q, cs in post_data(quiz=quiz).items()}

    def prepare(_):
        mine = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
        return mine, questions_with_choices(quiz)

    def submit(prepared):
        mine, questions = prepared
        try:
            submit_attempt(attempt=mine, answers=answers, questions=questions)
        except AttemptAlreadySubmitted:
            return "refused"
        return "graded"

    outcomes = at_once(20, prepare, submit)
    assert sorted(outcomes) == ["graded"] + ["refused"] * 19
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.score == attempt.total == 3
    assert Response.objects.filter(attempt=attempt).count() == 3
    assert Response.chosen.through.objects.filter(response__attempt=attempt).count() == 4
    assert Attempt.objects.filter(user=learner).count() == 1


def test_twenty_posts_of_one_quiz_form_grade_it_once(learner, quiz):
    attempt = open_attempt(learner, quiz)
    form = post_data(quiz=quiz, attempt=attempt)
    url = quiz.get_absolute_url()

    def post(client):
        response = client.post(url, form)
        return response.status_code, response["Location"]

    answers = at_once(20, lambda _: logged_in(learner), post)
    # Every tab lands on the graded attempt; one of them graded it.
    assert set(answers) == {(302, attempt.get_absolute_url())}
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.score == 3
    assert Response.objects.filter(attempt=attempt).count() == 3
    assert Attempt.objects.filter(user=learner).count() == 1


# --- one lesson, completed 50 times at once ----------------------------------------------


def test_fifty_completions_of_one_lesson_make_one_row(learner, course):
    lesson = make_lesson(course=course)
    created = at_once(50, lambda _: None, lambda _: complete_lesson(user=learner, lesson=lesson)[1])
    assert sorted(created) == [False] * 49 + [True]
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_fifty_posts_of_one_complete_button_make_one_row(learner, course):
    lesson = make_lesson(course=course)
    url = lesson.get_absolute_url() + "complete/"

    def post(client):
        return client.post(url).status_code

    statuses = at_once(50, lambda _: logged_in(learner), post)
    assert set(statuses) == {302}
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


# --- two tabs of one learner -------------------------------------------------------------


def test_two_tabs_submitting_predictions_at_once_keep_both(learner, matrix):
    column = matrix.columns.get(key="strong")
    tabs = [
        {"coverage": "Generalist wins", "format": "Fine-tune wins", "audit": "Fine-tune wins"},
        {"coverage": "No difference", "format": "Generalist wins", "audit": "Fine-tune wins"},
    ]
    submissions = at_once(
        2,
        lambda i: tabs[i],
        lambda mine: record_predictions(
            user=learner, matrix=matrix, column=column, predictions=mine
        ),
    )
    assert len(set(submissions)) == 2
    saved = MatrixPrediction.objects.filter(user=learner)
    assert saved.count() == 6
    for submission, tab in zip(submissions, tabs, strict=True):
        rows = saved.filter(submission=submission).select_related("cell__row")
        assert {p.cell.row.key: p.verdict for p in rows} == tab
    # Exactly one first prediction per cell, whichever tab won the race.
    assert saved.filter(is_first=True).count() == 3
    assert saved.filter(is_first=True).values("cell").distinct().count() == 3


def test_two_tabs_posting_predictions_at_once_keep_both(learner, matrix):
    url = f"/matrix/{matrix.slug}/predict/"
    forms = [
        {"column": "strong", "row-coverage": "Generalist wins", "row-format": "Generalist wins",
         "row-audit": "Generalist wins"},
        {"column": "strong", "row-coverage": "Fine-tune wins", "row-format": "Fine-tune wins",
         "row-audit": "Fine-tune wins"},
    ]  # fmt: skip

    def post(prepared):
        client, form = prepared
        return client.post(url, form).status_code

    statuses = at_once(2, lambda i: (logged_in(learner), forms[i]), post)
    assert statuses == [303, 303]
    saved = MatrixPrediction.objects.filter(user=learner)
    assert sorted(saved.values_list("verdict", flat=True)) == ["Fine-tune wins"] * 3 + ["Generalist wins"] * 3
    assert saved.filter(is_first=True).count() == 3


def test_two_tabs_completing_different_lessons_at_once_keep_both(learner, course):
    lessons = [make_lesson(course=course), make_lesson(course=course)]
    at_once(2, lambda i: lessons[i], lambda lesson: complete_lesson(user=learner, lesson=lesson))
    assert set(LessonCompletion.objects.filter(user=learner).values_list("lesson", flat=True)) == {
        lesson.pk for lesson in lessons
    }
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_two_tabs_posting_complete_on_different_lessons_keep_both(learner, course):
    lessons = [make_lesson(course=course), make_lesson(course=course)]

    def post(prepared):
        client, lesson = prepared
        return client.post(lesson.get_absolute_url() + "complete/").status_code

    statuses = at_once(2, lambda i: (logged_in(learner), lessons[i]), post)
    assert statuses == [302, 302]
    assert LessonCompletion.objects.filter(user=learner).count() == 2


def test_two_tabs_viewing_lessons_at_once_keep_one_enrollment(learner, course):
    lessons = [make_lesson(course=course), make_lesson(course=course)]

    def view(prepared):
        client, lesson = prepared
        return client.get(lesson.get_absolute_url()).status_code

    statuses = at_once(2, lambda i: (logged_in(learner), lessons[i]), view)
    assert statuses == [200, 200]
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.last_lesson in lessons
    # And the service on its own, ten times at once.
    at_once(10, lambda i: lessons[i % 2], lambda lesson: visit(user=learner, lesson=lesson))
    assert Enrollment.objects.filter(user=learner).count() == 1


def test_ten_tabs_opening_a_quiz_at_once_share_one_attempt(learner, quiz):
    def view(client):
        return client.get(quiz.get_absolute_url()).status_code

    statuses = at_once(10, lambda _: logged_in(learner), view)
    assert set(statuses) == {200}
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1


def test_joining_a_team_twice_at_once_makes_one_membership(learner):
    team = make_team()
    url = f"/teams/join/{team.invite_code}/"
    statuses = at_once(2, lambda _: logged_in(learner), lambda client: client.post(url).status_code)
    assert statuses == [302, 302]
    created = at_once(5, lambda _: None, lambda _: join_team(team=team, user=learner)[1])
    assert created == [False] * 5
    assert Membership.objects.filter(team=team, user=learner).count() == 1
