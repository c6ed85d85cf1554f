"""A dashboard may show figures from before the team's latest activity, saying when they are
from, while newer ones are worked out after its response (settings.TEAM_FIGURES_SERVE_STALE,
on in production): the manager waits for no figures over every member, and the next request
shows the newest, from the cache."""

import datetime

import pytest
from django.urls import reverse

from benchmarks.budgets import queries as budget
from progress.selectors import team_dashboard
from progress.selectors.team_cache import TEAM_AGGREGATES_TIMEOUT
from tests.factories import make_course, make_person, make_quiz, make_team, submit_attempt

pytestmark = pytest.mark.django_db
URL = reverse("progress:team", kwargs={"team": "ward-7"})
NOTICE = "These figures are from"


@pytest.fixture
def world(settings):
    settings.TEAM_FIGURES_SERVE_STALE = True
    course = make_course(slug="docs", lessons=2, order=1)
    quiz = make_quiz(course=course, slug="docs-check", questions=2)
    manager = make_person(username="manager")
    ann, bob = make_person(username="ann"), make_person(username="bob")
    team = make_team(slug="ward-7", courses=[course], managers=[manager], members=[ann, bob])
    submit_attempt(user=ann, quiz=quiz, picks=["right", "right"], days_ago=1)
    return {"team": team, "manager": manager, "bob": bob, "quiz": quiz}


@pytest.fixture
def deferred(monkeypatch):
    """The work the request left for after its response, held back to be run by the test."""
    held = []
    monkeypatch.setattr(
        "progress.selectors.dashboard.after_response", lambda *call: held.append(call)
    )
    return held


def takers(response):
    return [analysis.takers for analysis in response.context["dashboard"].quizzes]


def test_after_new_activity_the_page_shows_the_figures_before_it_and_says_so(
    client, world, deferred, django_assert_num_queries
):
    client.force_login(world["manager"])
    first = client.get(URL)
    assert takers(first) == [1] and NOTICE not in first.content.decode() and deferred == []
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    with django_assert_num_queries(budget("team_dashboard_cached")):  # no figures worked out
        stale = client.get(URL)
    assert takers(stale) == [1]
    page = stale.content.decode()
    assert NOTICE in page and "newest activity is being added" in page
    assert stale.context["dashboard"].figures_as_of == first.context["dashboard"].now
    # Once the response has gone, the figures are worked out; the next page shows them.
    (call,) = deferred
    call[0](*call[1:])
    with django_assert_num_queries(budget("team_dashboard_cached")):
        fresh = client.get(URL)
    assert takers(fresh) == [2] and NOTICE not in fresh.content.decode()


def test_the_work_runs_after_the_response_and_only_once_for_the_same_activity(
    client, world, deferred
):
    client.force_login(world["manager"])
    client.get(URL)
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    client.get(URL)
    client.get(URL)  # still stale: its work is already planned
    assert len(deferred) == 1


def test_the_refresh_really_runs_when_the_response_is_closed(client, world):
    client.force_login(world["manager"])
    client.get(URL)
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    assert takers(client.get(URL)) == [1]  # the test client closes it: the work runs
    assert takers(client.get(URL)) == [2]


def test_figures_older_than_the_timeout_are_shown_as_stale_or_worked_out_again(world, deferred):
    start = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    later = start + datetime.timedelta(seconds=TEAM_AGGREGATES_TIMEOUT + 60)
    team = world["team"]
    assert team_dashboard(team=team, now=start).figures_as_of is None
    assert team_dashboard(team=team, now=later).figures_as_of == start
    assert team_dashboard(team=team, now=later, serve_stale=False).figures_as_of is None


def test_with_stale_figures_off_every_page_is_current(client, world, settings, deferred):
    settings.TEAM_FIGURES_SERVE_STALE = False
    client.force_login(world["manager"])
    client.get(URL)
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    response = client.get(URL)
    assert takers(response) == [2] and NOTICE not in response.content.decode() and deferred == []
