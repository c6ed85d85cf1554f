"""The team dashboard's first screen through the test client: who needs attention (with their
actions, and a way to see everyone), what the team misunderstands, this week, due dates, and
people by name."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assignment, Membership, Profile
from accounts.roles import INSTRUCTORS
from progress.glance import ATTENTION_FIRST
from progress.selectors import ATTENTION_PER_PAGE
from review.selectors import summary
from tests.factories import complete_lessons, make_course, make_person, make_team, published_lessons
from tests.html import elements

pytestmark = pytest.mark.django_db
CROWD = ATTENTION_PER_PAGE + 5  # two pages of people who need attention


@pytest.fixture
def crowd():
    """CROWD members who never started a course assigned 30 days ago, due 2 days ago, and one
    who finished it; each named "Person nnn" except m-000, who gave no name."""
    course = make_course(slug="imaging", title="Imaging AI", lessons=1, order=1)
    manager = make_person(username="boss")
    team = make_team(slug="ward-7", name="Ward 7", courses=[course], managers=[manager],
                     assigned_at=timezone.now() - datetime.timedelta(days=30),
                     due_on=timezone.localdate() - datetime.timedelta(days=2))  # fmt: skip
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"m-{n:03d}", password="!") for n in range(CROWD + 1)])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Person {n:03d}") for n, u in enumerate(users) if n])
    Membership.objects.bulk_create([Membership(team=team, user=u) for u in users])
    team.memberships.update(joined_at=timezone.now() - datetime.timedelta(days=30))
    complete_lessons(user=users[-1], lessons=published_lessons(course=course), days_ago=5)
    return {"team": team, "manager": manager, "course": course, "users": users}


def get(client, user, query=""):
    client.force_login(user)
    return client.get(reverse("progress:team", kwargs={"team": "ward-7"}) + query)


def attention_section(body):
    return body.split('id="attention-heading"')[1].split("</section>")[0]


def names(section):
    return [p.text for p in elements(section, "p", class_="attention-name")]


def test_the_first_screen_names_the_most_pressing_few_and_counts_the_rest(client, crowd):
    body = get(client, crowd["manager"]).content.decode()
    section = attention_section(body)
    # Everyone overdue by the same 2 days: name order decides (m-000 goes by her username).
    assert names(section) == ["m-000"] + [f"Person {n:03d}" for n in range(1, ATTENTION_FIRST)]
    assert elements(body, "span", class_="heading-count")[0].text == str(CROWD)
    assert f"The {ATTENTION_FIRST} most pressing of {CROWD}." in section
    (more,) = elements(section, "a", href="?attention=1#attention-heading")
    assert more.text == f"Show all {CROWD}"
    due = timezone.localdate() - datetime.timedelta(days=2)
    assert [li.text for li in elements(section, "li", class_="reason")][:2] == [
        f"Overdue: Imaging AI was due {due.day} {due:%b} (2 days ago)",
        "Not started Imaging AI, assigned 30 days ago",
    ]


def test_the_attention_list_comes_before_everything_else(client, crowd):
    body = get(client, crowd["manager"]).content.decode()
    order = [body.index(f'id="{heading}"') for heading in (
        "attention-heading", "misunderstood-heading", "week-heading", "summary-heading", "heatmap-heading",
    )]  # fmt: skip
    assert order == sorted(order)


def test_show_all_lists_everyone_a_page_at_a_time_without_javascript(client, crowd):
    first = attention_section(get(client, crowd["manager"], "?attention=1").content.decode())
    assert len(names(first)) == ATTENTION_PER_PAGE
    assert elements(first, "a", href="?attention=2#attention-heading")
    (fewer,) = [a for a in elements(first, "a") if a.text == "Show only the most pressing"]
    assert fewer.attrs["href"] == "?#attention-heading"
    second = attention_section(get(client, crowd["manager"], "?attention=2").content.decode())
    assert names(second) == [f"Person {n:03d}" for n in range(ATTENTION_PER_PAGE, CROWD)]
    # Who finished is not listed anywhere.
    assert f"Person {CROWD:03d}" not in first + second


@pytest.mark.parametrize("value", ["", "0", "abc", "99", "-3"])
def test_a_bad_attention_page_shows_the_first(client, crowd, value):
    response = get(client, crowd["manager"], f"?attention={value}")
    assert response.status_code == 200
    assert names(attention_section(response.content.decode()))[:2] == ["m-000", "Person 001"]


def test_show_all_costs_no_more_queries(client, crowd):
    client.force_login(crowd["manager"])
    summary(user=crowd["manager"], now=timezone.now())
    address = reverse("progress:team", kwargs={"team": "ward-7"})
    counts = []
    for query in ("", "?attention=2"):
        cache.clear()
        summary(user=crowd["manager"], now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            client.get(address + query)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_each_row_acts_see_details_and_nudge_for_managers_only(client, crowd):
    membership = Membership.objects.get(user=crowd["users"][1])
    nudge = reverse("notifications:nudge", kwargs={"team": "ward-7", "membership": membership.pk})
    detail = reverse("progress:member", kwargs={"team": "ward-7", "membership": membership.pk})
    section = attention_section(get(client, crowd["manager"]).content.decode())
    assert elements(section, "form", action=nudge, method="post")
    assert elements(section, "a", href=detail)[0].text == "See details of Person 001"
    assert len(elements(section, "button", type="submit")) == ATTENTION_FIRST
    instructor = make_person(username="instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    section = attention_section(get(client, instructor).content.decode())
    assert elements(section, "a", href=detail) and not elements(section, "form")


def test_no_one_needs_attention_says_so(client):
    course = make_course(slug="imaging", lessons=1, order=1)
    manager, ann = make_person(username="boss"), make_person(username="ann")
    make_team(slug="ward-7", courses=[course], managers=[manager], members=[ann])
    complete_lessons(user=ann, lessons=published_lessons(course=course))
    section = attention_section(get(client, manager).content.decode())
    assert names(section) == [] and "Every member is on track" in section


def test_due_dates_and_who_is_overdue_per_course(client, crowd):
    later = make_course(slug="dx", title="Diagnostics AI", lessons=1, order=2)
    Assignment.objects.create(team=crowd["team"], course=later, due_on=timezone.localdate() + datetime.timedelta(days=3))
    response = get(client, crowd["manager"])
    rows = {row.course.slug: (row.overdue, row.due_soon, row.completed) for row in response.context["dashboard"].course_rows()}
    assert rows == {"imaging": (CROWD, 0, 1), "dx": (0, CROWD + 1, 0)}
    body = response.content.decode()
    table = body.split("<caption>Courses and due dates</caption>")[1].split("</table>")[0]
    assert f'<span class="badge badge-bad">{CROWD} overdue</span>' in table
    due = timezone.localdate() - datetime.timedelta(days=2)
    assert f"Imaging AI (due {due:%-d %b %Y})" in [o.text for o in elements(body, "option")]


def test_people_go_by_their_display_name_in_name_order(client, crowd):
    Profile.objects.filter(user=crowd["users"][5]).update(display_name="aaron early")
    response = get(client, crowd["manager"])
    heatmap = response.context["charts"]["heatmap"]["data"][0]["y"]
    assert heatmap[:3] == ["aaron early", "m-000", "Person 001"]
    assert "by name (the display name each gave, else their username)" in response.content.decode()
