"""The team dashboard's members pager: the heatmap and its table show 50 members a page, the
team-level figures and the CSV cover every member."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from accounts.models import Membership
from lessons.models import LessonCompletion
from progress.selectors import MEMBERS_PER_PAGE
from tests.factories import make_course, make_person, make_team, published_lessons
from tests.html import elements

pytestmark = pytest.mark.django_db
SIZE = 120  # three pages: 50, 50, 20


@pytest.fixture
def big_team():
    """120 members (m-000 ... m-119); member n completed the first lesson of "one" when n is even."""
    one = make_course(slug="one", lessons=2, order=1)
    two = make_course(slug="two", order=2, lessons=1)
    manager = make_person(username="manager")
    team = make_team(slug="big", courses=[one, two], managers=[manager])
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"m-{n:03d}", password="!") for n in range(SIZE)])
    Membership.objects.bulk_create([Membership(team=team, user=user) for user in users])
    first = published_lessons(course=one)[0]
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=user, lesson=first) for n, user in enumerate(users) if n % 2 == 0]
    )
    return team, manager


def get(client, big_team, query=""):
    team, manager = big_team
    client.force_login(manager)
    return client.get(reverse("progress:team", kwargs={"team": team.slug}) + query)


def heatmap(body):
    match = re.search(r'<script id="heatmap-data" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1))["data"][0]


def table_members(body):
    table = body.split("Lessons completed by each member</caption>")[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', table)


def pager(body):
    return body.split('<nav class="members-pager" aria-label="Members pages">')[1].split("</nav>")[0]


def test_page_one_shows_the_first_fifty_members_in_the_chart_and_the_table(client, big_team):
    body = get(client, big_team).content.decode()
    names = [f"m-{n:03d}" for n in range(MEMBERS_PER_PAGE)]
    assert heatmap(body)["y"] == names
    assert table_members(body) == names
    assert "Members 1–50 of 120" in body
    nav = pager(body)
    assertInHTML('<a href="?page=1" aria-current="page">1</a>', nav)
    assert elements(nav, "a", rel="next", href="?page=2") and not elements(nav, "a", rel="prev")
    assertInHTML('<a href="?page=3">3</a>', nav)


def test_page_two_shows_the_next_fifty(client, big_team):
    body = get(client, big_team, "?page=2").content.decode()
    names = [f"m-{n:03d}" for n in range(50, 100)]
    assert heatmap(body)["y"] == names
    assert heatmap(body)["z"][0] == [1, 0, 0] and heatmap(body)["z"][1] == [0, 0, 0]
    assert table_members(body) == names
    assert "Members 51–100 of 120" in body
    nav = pager(body)
    assert 'rel="prev" href="?page=1"' in nav and 'rel="next" href="?page=3"' in nav
    assert 'aria-current="page">2</a>' in nav


def test_the_last_page_holds_the_rest(client, big_team):
    body = get(client, big_team, "?page=3").content.decode()
    assert table_members(body) == [f"m-{n:03d}" for n in range(100, SIZE)]
    assert 'rel="next"' not in pager(body)


def test_team_level_figures_cover_every_member_on_every_page(client, big_team):
    for query in ("", "?page=3"):
        response = get(client, big_team, query)
        body = response.content.decode()
        assert '<span class="stat-value">120</span><span class="stat-label">members' in body
        funnel = {f["course"].slug: [s.completed for s in f["steps"]] for f in response.context["charts"]["funnels"]}
        assert funnel == {"one": [60, 0], "two": [0]}


@pytest.mark.parametrize("value", ["0", "-1", "4", "abc", "1.5", "", "99999999999999999999999", "2%00"])
def test_a_bad_page_value_shows_page_one(client, big_team, value):
    response = get(client, big_team, f"?page={value}")
    if value == "2%00":  # NUL characters are refused before the view, with the 400 page
        assert response.status_code == 400
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert table_members(body)[0] == "m-000"
    assert "Members 1–50 of 120" in body


def test_the_pager_keeps_the_course_filter(client, big_team):
    body = get(client, big_team, "?course=two&page=2").content.decode()
    assert heatmap(body)["y"][0] == "m-050"
    assert len(heatmap(body)["x"]) == 1
    nav = pager(body)
    assert elements(nav, "a", href="?course=two&page=1")
    assert elements(nav, "a", href="?course=two&page=3")
    assert elements(body, "option", value="two", selected=True)


def test_a_small_team_has_no_pager(client):
    manager = make_person(username="manager")
    make_team(slug="ward-7", courses=[make_course(slug="clinical-documentation-ai", order=1, lessons=3)], managers=[manager], members=[make_person(username="ann")])
    client.force_login(manager)
    body = client.get(reverse("progress:team", kwargs={"team": "ward-7"})).content.decode()
    assert "Members pages" not in body and "heatmap-data" in body


def test_the_csv_stays_complete(client, big_team):
    team, manager = big_team
    client.force_login(manager)
    response = client.get(reverse("progress:export", kwargs={"team": team.slug}) + "?page=2")
    assert len(response.content.decode().strip().splitlines()) == 1 + SIZE * 2
