"""Session limits (accounts/sessions.py): staff 2 hours idle / 12 hours in all, everyone else
7 days idle / 30 days in all, with "last seen" saved at most every 5 minutes.

Time is a frozen clock put in place of ``sessions.clock`` before logging in.
"""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import sessions
from tests.clock import Clock
from tests.factories import make_person
from tests.security.production import production_env, read_settings

pytestmark = pytest.mark.django_db
MINUTE, HOUR, DAY = 60, 3600, 86400
STAFF_PAGE = "/admin/"
LEARNER_PAGE = "/progress/"



@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(1_800_000_000.0)
    monkeypatch.setattr(sessions, "clock", frozen)
    return frozen


@pytest.fixture
def staff_client(client, clock):
    client.force_login(make_person(username="editor", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def learner_client(client, clock):
    client.force_login(make_person(username="ann"))
    return client


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limits_are_the_documented_ones():
    assert (settings.STAFF_SESSION_IDLE_SECONDS, settings.STAFF_SESSION_MAX_SECONDS) == (2 * HOUR, 12 * HOUR)
    assert (settings.LEARNER_SESSION_IDLE_SECONDS, settings.LEARNER_SESSION_MAX_SECONDS) == (7 * DAY, 30 * DAY)
    assert settings.SESSION_ACTIVITY_WRITE_SECONDS == 5 * MINUTE
    assert settings.SESSION_COOKIE_AGE == 30 * DAY


def test_staff_are_logged_out_after_two_idle_hours_and_learners_are_not(staff_client, clock):
    learner = Client()  # logged in at the same moment as the staff member
    learner.force_login(make_person(username="ann"))
    clock.advance(2 * HOUR + 1)
    response = staff_client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not logged_in(staff_client)
    assert learner.get(LEARNER_PAGE).status_code == 200
    assert logged_in(learner)


def test_staff_within_the_idle_limit_stay_logged_in(staff_client, clock):
    clock.advance(2 * HOUR - MINUTE)
    assert staff_client.get(STAFF_PAGE).status_code == 200


def test_active_staff_are_logged_out_twelve_hours_after_logging_in(staff_client, clock):
    for _ in range(23):  # a request every half hour for 11.5 hours
        clock.advance(30 * MINUTE)
        assert staff_client.get(STAFF_PAGE).status_code == 200
    clock.advance(30 * MINUTE + 1)
    assert staff_client.get(STAFF_PAGE).status_code == 302
    assert not logged_in(staff_client)


def test_learners_are_logged_out_after_seven_idle_days(learner_client, clock):
    clock.advance(7 * DAY - MINUTE)
    assert learner_client.get(LEARNER_PAGE).status_code == 200
    clock.advance(7 * DAY + 1)
    response = learner_client.get(LEARNER_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not logged_in(learner_client)


def test_active_learners_are_logged_out_thirty_days_after_logging_in(learner_client, clock):
    for _ in range(9):  # every 3 days: never idle for long, 27 days in all
        clock.advance(3 * DAY)
        assert learner_client.get(LEARNER_PAGE).status_code == 200
    clock.advance(3 * DAY + 1)
    assert learner_client.get(LEARNER_PAGE).status_code == 302


def test_a_logged_out_person_is_told_why(learner_client, clock):
    clock.advance(8 * DAY)
    page = learner_client.get(LEARNER_PAGE, follow=True)
    assert sessions.LOGGED_OUT_MESSAGE in page.content.decode()


def seen_in_database(client) -> int:
    session = Session.objects.get(session_key=client.session.session_key)
    return session.get_decoded()[sessions.SEEN]


def test_last_seen_is_saved_at_most_every_five_minutes(learner_client, clock):
    logged_in_at = seen_in_database(learner_client)
    clock.advance(4 * MINUTE)
    learner_client.get(LEARNER_PAGE)
    assert seen_in_database(learner_client) == logged_in_at
    clock.advance(MINUTE)
    learner_client.get(LEARNER_PAGE)
    assert seen_in_database(learner_client) == logged_in_at + 5 * MINUTE


def test_a_staff_log_in_cookie_expires_with_the_staff_limit(client, clock, password, make_user):
    make_user("editor", is_staff=True)
    client.post(reverse("login"), {"username": "editor", "password": password})
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * HOUR


def test_the_limits_come_from_the_environment():
    env = production_env(
        DJANGO_STAFF_SESSION_IDLE_MINUTES="30",
        DJANGO_STAFF_SESSION_MAX_MINUTES="240",
        DJANGO_LEARNER_SESSION_IDLE_MINUTES="1440",
        DJANGO_LEARNER_SESSION_MAX_MINUTES="20160",
    )
    names = ["STAFF_SESSION_IDLE_SECONDS", "STAFF_SESSION_MAX_SECONDS",
             "LEARNER_SESSION_IDLE_SECONDS", "LEARNER_SESSION_MAX_SECONDS", "SESSION_COOKIE_AGE"]  # fmt: skip
    assert read_settings(names, env) == {
        "STAFF_SESSION_IDLE_SECONDS": 30 * MINUTE,
        "STAFF_SESSION_MAX_SECONDS": 4 * HOUR,
        "LEARNER_SESSION_IDLE_SECONDS": DAY,
        "LEARNER_SESSION_MAX_SECONDS": 14 * DAY,
        "SESSION_COOKIE_AGE": 14 * DAY,
    }
