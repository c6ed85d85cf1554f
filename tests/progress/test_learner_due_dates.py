"""The learner's side of due dates: a course their team gave a due date shows it, in words and
a badge, on /progress/, the catalog and the course overview; a complete course shows
"Completed" rather than overdue. The date is read with the courses each page already lists
(``accounts.selectors.due_on_for``), so no page costs a query more."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from benchmarks.budgets import queries as budget
from lessons.catalog import DueStatus
from review.selectors import summary as review_summary
from tests.factories import complete_lessons, make_course, make_person, make_team, published_lessons
from tests.html import elements

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
NOON_9_DEC = datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC)
DUE_12_DEC = datetime.date(2026, 12, 12)


def badge(due: DueStatus | None) -> str:
    """The badge's words, as a reader hears them."""
    found = elements(render_to_string("lessons/includes/due_date.html", {"due": due}), "span", class_="badge")
    return found[0].text if found else ""


# --- the words and the tone, with a fixed clock ---------------------------------------------------


@pytest.mark.parametrize(
    ("now", "complete", "words", "tone"),
    [
        (NOON_9_DEC, False, "Due 12 Dec · 3 days left", "warn"),
        (NOON_9_DEC + 2 * DAY, False, "Due 12 Dec · 1 day left", "warn"),
        (NOON_9_DEC + 3 * DAY, False, "Due 12 Dec · today", "warn"),
        (NOON_9_DEC - 23 * DAY, False, "Due 12 Dec · 26 days left", "neutral"),
        (NOON_9_DEC + 4 * DAY, False, "Overdue since 12 Dec", "bad"),
        (NOON_9_DEC + 40 * DAY, False, "Overdue since 12 Dec 2026", "bad"),
        (NOON_9_DEC + 4 * DAY, True, "Due 12 Dec · Completed", "ok"),
        (NOON_9_DEC, True, "Due 12 Dec · Completed", "ok"),
    ],
)
def test_the_badge_says_when_the_course_is_due_and_where_the_learner_stands(now, complete, words, tone):
    due = DueStatus.of(DUE_12_DEC, complete=complete, now=now)
    assert badge(due) == words
    assert due.tone == tone
    html = render_to_string("lessons/includes/due_date.html", {"due": due})
    assert elements(html, "span", class_=f"badge-{tone}")
    assert elements(html, "time", datetime="2026-12-12")


def test_a_due_date_in_another_year_names_the_year():
    due = DueStatus.of(datetime.date(2027, 1, 5), complete=False, now=NOON_9_DEC)
    assert badge(due) == "Due 5 Jan 2027 · 27 days left"


def test_no_due_date_shows_nothing():
    assert DueStatus.of(None, complete=False, now=NOON_9_DEC) is None
    assert render_to_string("lessons/includes/due_date.html", {"due": None}).strip() == ""


def test_the_due_day_is_a_whole_day_in_the_sites_time_zone():
    last_moment = datetime.datetime(2026, 12, 12, 23, 59, 59, tzinfo=datetime.UTC)
    assert badge(DueStatus.of(DUE_12_DEC, complete=False, now=last_moment)) == "Due 12 Dec · today"
    assert badge(DueStatus.of(DUE_12_DEC, complete=False, now=last_moment + datetime.timedelta(seconds=1))) == (
        "Overdue since 12 Dec"
    )


# --- the pages --------------------------------------------------------------------------------


def day_words(day: datetime.date) -> str:
    return date_format(day, "j M" if day.year == timezone.localdate().year else "j M Y")


@pytest.fixture
def learner():
    return make_person(username="lee")


@pytest.fixture
def world(learner):
    """Three courses the learner's team follows: started and due in 3 days, not started and
    overdue by 2 days, complete though its date has passed; and one with no due date."""
    today = timezone.localdate()
    started = make_course(slug="started", title="Started track", order=1, lessons=2)
    waiting = make_course(slug="waiting", title="Waiting track", order=2, lessons=2)
    done = make_course(slug="done", title="Done track", order=3, lessons=1)
    undated = make_course(slug="undated", title="Undated track", order=4, lessons=1)
    soon = make_team(slug="soon", courses=[started], members=[learner], due_on=today + 3 * DAY)
    late = make_team(slug="late", courses=[waiting, done], members=[learner], due_on=today - 2 * DAY)
    make_team(slug="free", courses=[undated], members=[learner])
    complete_lessons(user=learner, lessons=published_lessons(course=started)[:1])
    complete_lessons(user=learner, lessons=published_lessons(course=done))
    return {"today": today, "started": started, "waiting": waiting, "done": done,
            "undated": undated, "soon": soon, "late": late}  # fmt: skip


def cards(body: str, heading_tag: str) -> dict[str, str]:
    """Each course card's text, by its title (cards are <li class="card course-card">)."""
    result = {}
    for chunk in body.split('class="card course-card"')[1:]:
        chunk = chunk.split("</li>")[0]
        (title,) = elements(chunk, heading_tag)
        result[title.text] = " ".join(e.text for e in elements(chunk, "p", class_="due-date"))
    return result


def test_progress_shows_each_courses_due_date_in_words(client, learner, world):
    client.force_login(learner)
    body = client.get(reverse("progress:mine")).content.decode()
    today = world["today"]
    started = cards(body.split("Assigned by your team")[0], "h3")
    assert started == {
        "Started track": f"Due {day_words(today + 3 * DAY)} · 3 days left",
        "Done track": f"Due {day_words(today - 2 * DAY)} · Completed",
    }
    assigned = cards(body.split("Assigned by your team")[1], "h4")
    assert assigned == {
        "Waiting track": f"Overdue since {day_words(today - 2 * DAY)}",
        "Undated track": "",
    }
    assert body.count("Overdue since") == 1  # the complete course is not overdue


def test_the_catalog_shows_the_due_date_on_each_card(client, learner, world):
    client.force_login(learner)
    body = client.get(reverse("courses:catalog")).content.decode()
    today = world["today"]
    assert cards(body, "h2") == {
        "Started track": f"Due {day_words(today + 3 * DAY)} · 3 days left",
        "Waiting track": f"Overdue since {day_words(today - 2 * DAY)}",
        "Done track": f"Due {day_words(today - 2 * DAY)} · Completed",
        "Undated track": "",
    }


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("started", "Due {soon} · 3 days left"),
        ("waiting", "Overdue since {late}"),
        ("done", "Due {late} · Completed"),
        ("undated", ""),
    ],
)
def test_the_course_overview_shows_the_due_date(client, learner, world, slug, words):
    client.force_login(learner)
    body = client.get(world[slug].get_absolute_url()).content.decode()
    expected = words.format(soon=day_words(world["today"] + 3 * DAY), late=day_words(world["today"] - 2 * DAY))
    assert " ".join(e.text for e in elements(body, "p", class_="due-date")) == expected


def test_the_earliest_due_date_over_the_learners_teams_wins(client, learner, world):
    make_team(slug="sooner", courses=[world["started"]], members=[learner], due_on=world["today"] + DAY)
    client.force_login(learner)
    body = client.get(world["started"].get_absolute_url()).content.decode()
    assert elements(body, "p", class_="due-date")[0].text == f"Due {day_words(world['today'] + DAY)} · 1 day left"


def test_a_manager_of_the_team_is_not_given_its_due_dates(client, world):
    manager = make_person(username="mona")
    make_team(slug="managed", courses=[world["waiting"]], managers=[manager], due_on=world["today"])
    client.force_login(manager)
    for url in (reverse("courses:catalog"), world["waiting"].get_absolute_url(), reverse("progress:mine")):
        assert not elements(client.get(url).content.decode(), "p", class_="due-date"), url


def test_visitors_and_other_learners_see_no_due_date(client, world):
    for url in (reverse("courses:catalog"), world["waiting"].get_absolute_url()):
        assert not elements(client.get(url).content.decode(), "p", class_="due-date")
    client.force_login(make_person(username="stranger"))
    for url in (reverse("courses:catalog"), world["waiting"].get_absolute_url(), reverse("progress:mine")):
        assert not elements(client.get(url).content.decode(), "p", class_="due-date")


# --- no query more ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("learner_dashboard", lambda w: reverse("progress:mine")),
        ("catalog", lambda w: reverse("courses:catalog")),
        ("overview", lambda w: w["waiting"].get_absolute_url()),
    ],
)
def test_due_dates_cost_no_query_on_the_learner_pages(client, learner, world, name, url, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = settings.PERSONAL_PAGE_SECONDS = 0
    client.force_login(learner)
    review_summary(user=learner, now=timezone.now())
    client.get(url(world))  # first-request caches (content types, templates)
    with django_assert_num_queries(budget(name)):
        body = client.get(url(world)).content.decode()
    assert elements(body, "p", class_="due-date")
