"""config/security.py: personal pages are not stored (F6), GETs loaded as an image change
nothing, and bad attempt ids or spreadsheet tricks are refused or neutralised (F5)."""

import pytest
from django.urls import reverse

from courses.models import Enrollment
from progress.exports import text_cell
from quizzes.models import Attempt
from tests.factories import (
    answer_ids,
    make_course,
    make_person,
    make_quiz,
    make_team,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    course = make_course(slug="docs", lessons=2)
    quiz = make_quiz(course=course, slug="docs-quiz")
    learner = make_user("ann")
    manager = make_user("boss")
    team = make_team(slug="ward", courses=[course], managers=[manager], members=[learner])
    attempt = submit_attempt(user=learner, quiz=quiz, answers=answer_ids(quiz=quiz))
    return {"course": course, "quiz": quiz, "learner": learner, "manager": manager,
            "team": team, "attempt": attempt}  # fmt: skip


def personal_urls(world):
    team, quiz = world["team"], world["quiz"]
    return {
        "learner": [
            reverse("progress:mine"),
            reverse("quizzes:take", args=[quiz.slug]),
            world["attempt"].get_absolute_url(),
            reverse("password_change"),
            world["course"].get_absolute_url(),
        ],
        "manager": [
            reverse("progress:team", args=[team.slug]),
            reverse("progress:export", args=[team.slug]),
            reverse("teams:members", args=[team.slug]),
        ],
    }


def test_every_page_rendered_for_a_signed_in_person_says_private_no_store(client, world):
    for role, urls in personal_urls(world).items():
        client.force_login(world[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


def test_a_page_for_visitors_is_not_marked_private(client, world):
    response = client.get(reverse("courses:catalog"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_lesson_loaded_as_an_image_does_not_enrol_the_reader(client, world):
    client.force_login(world["learner"])
    lesson = world["course"].lessons.order_by("order").first()
    Enrollment.objects.filter(user=world["learner"]).delete()
    response = client.get(lesson.get_absolute_url(), headers={"Sec-Fetch-Dest": "image"})
    assert response.status_code == 200
    assert not Enrollment.objects.filter(user=world["learner"]).exists()
    client.get(lesson.get_absolute_url(), headers={"Sec-Fetch-Dest": "document"})
    assert Enrollment.objects.filter(user=world["learner"], last_lesson=lesson).exists()


def test_a_quiz_loaded_as_an_image_issues_no_attempt(client, world):
    reader = make_person(username="reader")
    client.force_login(reader)
    url = reverse("quizzes:take", args=[world["quiz"].slug])
    response = client.get(url, headers={"Sec-Fetch-Dest": "image"})
    assert response.status_code == 400
    assert not Attempt.objects.filter(user=reader).exists()
    assert client.get(url).status_code == 200  # no Fetch Metadata: an ordinary page
    assert Attempt.objects.filter(user=reader, submitted_at__isnull=True).count() == 1


@pytest.mark.parametrize("raw", ["²", "١٢", "1²", " 1", "-1", "1" * 40, ""])
def test_an_attempt_id_that_is_not_ascii_digits_is_a_clear_400(client, world, raw):
    client.force_login(world["learner"])
    url = reverse("quizzes:take", args=[world["quiz"].slug])
    client.get(url)
    before = Attempt.objects.filter(submitted_at__isnull=False).count()
    response = client.post(url, {"attempt": raw})
    assert response.status_code == 400
    assert b"did not say which attempt" in response.content
    assert Attempt.objects.filter(submitted_at__isnull=False).count() == before


@pytest.mark.parametrize(
    "value", ["=1+1", "\ufeff=HYPERLINK(\"x\")", "\u200b=1", "\u2060+1", "\uff1d1+1", "\uff0b1", "@SUM(A1)"]
)
def test_a_csv_cell_a_spreadsheet_would_read_as_a_formula_is_defused(value):
    assert text_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann Smith", "ann-1", "é=mc²", "1=1"])
def test_ordinary_csv_cells_are_left_alone(value):
    assert text_cell(value) == value
