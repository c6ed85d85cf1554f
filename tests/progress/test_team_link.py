"""The header's link to the team pages (progress/team_link.py) and the list of teams: shown to
those who may see a team, named after the team when there is one, and free on ordinary pages."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import INSTRUCTORS
from progress.team_link import NO_TEAMS, TeamLink, team_link
from tests.factories import make_course, make_person, make_team
from tests.html import elements

pytestmark = pytest.mark.django_db


def nav_links(client, path="/"):
    body = client.get(path).content.decode()
    nav = body.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    return [(a.text, a.attrs["href"]) for a in elements(nav, "a")]


def test_a_learner_without_a_team_sees_no_link_and_reading_it_costs_nothing(client, django_assert_num_queries):
    ann = make_person(username="ann")
    make_team(slug="ward-7", members=[ann])  # a member, not a manager: no dashboard to see
    client.force_login(ann)  # logging in reads it once
    with django_assert_num_queries(0):
        assert team_link(ann) == NO_TEAMS
    assert [text for text, _ in nav_links(client)] == ["Courses", "My progress", "Review"]


def test_a_manager_of_one_team_gets_a_link_named_after_it(client):
    boss = make_person(username="boss")
    make_team(slug="ward-7", name="Ward 7", managers=[boss], courses=[make_course(slug="c", order=1)])
    client.force_login(boss)
    assert ("Ward 7", "/teams/ward-7/") in nav_links(client)
    body = client.get("/teams/ward-7/").content.decode()
    (current,) = elements(body, "a", href="/teams/ward-7/", aria_current="page")
    assert current.text == "Ward 7"


def test_with_several_teams_the_link_goes_to_the_list(client):
    instructor = make_person(username="instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    make_team(slug="ward-7", name="Ward 7")
    make_team(slug="ward-8", name="Ward 8")
    client.force_login(instructor)
    assert ("Teams", "/teams/") in nav_links(client)
    body = client.get(reverse("progress:teams")).content.decode()
    listed = [a.text for a in elements(body.split("<main")[1], "a", href=True) if a.attrs["href"].startswith("/teams/ward")]
    assert listed == ["Ward 7", "Ward 8"]  # instructors view, they do not manage: no Members links


def test_a_new_membership_shows_at_once_and_a_removed_one_goes(client):
    boss = make_person(username="boss")
    client.force_login(boss)
    assert team_link(boss) == NO_TEAMS
    team = make_team(slug="ward-7", name="Ward 7", managers=[boss])
    assert team_link(boss) == TeamLink(count=1, slug="ward-7", name="Ward 7")
    team.name = "Ward Seven"
    team.save()
    assert team_link(boss).name == "Ward Seven"
    Membership.objects.filter(user=boss).delete()
    assert team_link(boss) == NO_TEAMS


def test_cold_it_is_one_query_then_cached(django_assert_num_queries):
    boss = make_person(username="boss")
    make_team(slug="ward-7", managers=[boss])
    cache.clear()
    with django_assert_num_queries(1):
        assert team_link(boss).count == 1
    with django_assert_num_queries(0):
        assert team_link(boss).count == 1


def test_the_list_of_teams_says_so_when_there_are_none(client):
    client.force_login(make_person(username="ann"))
    response = client.get(reverse("progress:teams"))
    assert response.status_code == 200 and "You do not manage a team." in response.content.decode()
    client.logout()
    assert client.get(reverse("progress:teams"))["Location"].startswith(reverse("login"))

