"""Due dates in a real browser, at a desktop (1280 px) and a phone (390 px) width, with
JavaScript and without: a manager opens the team's courses page from the members page, is
refused a date in the past (the message beside the field, nothing saved), sets a date; the
learner then sees it on /progress/, on the catalog and on the course's overview. axe finds
nothing serious with JavaScript on; console and CSP errors fail the tests with JavaScript."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.models import Assignment
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import make_course, make_team

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def team_world(make_user):
    docs = make_course(slug="clinical-documentation-ai", title="Clinical documentation AI", order=1, lessons=3)
    dx = make_course(slug="ai-diagnostics", title="AI diagnostics", order=2, lessons=2)
    manager, learner = make_user("mona"), make_user("lee")
    team = make_team(slug="ward-7", name="Ward 7", courses=[docs, dx], managers=[manager], members=[learner])
    return {"team": team, "docs": docs, "manager": manager, "learner": learner}


def words(day: datetime.date) -> str:
    return date_format(day, "j M" if day.year == timezone.localdate().year else "j M Y")


def manager_sets_a_due_date(page, live_server, world, *, check=lambda page: None, refused=lambda: None):
    today = timezone.localdate()
    page.goto(f"{live_server.url}/teams/ward-7/members/")
    page.get_by_role("link", name="Courses and due dates").click()
    expect(page.get_by_role("heading", name="Courses and due dates of Ward 7")).to_be_visible()
    check(page)
    field = page.get_by_label("Due date for Clinical documentation AI")
    field.fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Due date for AI diagnostics").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the due dates").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator(f"#id_course-{world['docs'].pk}-due_on_error")).to_have_text(
        "A due date cannot be in the past: choose today or a later day."
    )
    refused()
    check(page)
    assert not Assignment.objects.filter(due_on__isnull=False).exists()

    due = today + datetime.timedelta(days=3)
    page.get_by_label("Due date for Clinical documentation AI").fill(due.isoformat())
    page.get_by_label("Due date for AI diagnostics").fill("")
    page.get_by_role("button", name="Save the due dates").click()
    expect(page.locator("#messages")).to_contain_text(
        f"Saved the due dates of Ward 7. Clinical documentation AI: due {date_format(due, 'j M Y')}."
    )
    expect(page.get_by_label("Due date for Clinical documentation AI")).to_have_value(due.isoformat())
    assert Assignment.objects.get(course=world["docs"]).due_on == due
    return due


def learner_sees_it(page, live_server, due, *, check=lambda page: None):
    badge = f"Due {words(due)} · 3 days left"
    page.goto(f"{live_server.url}/progress/")
    card = page.locator(".course-card", has=page.get_by_role("link", name="Clinical documentation AI", exact=True))
    expect(card.locator(".due-date")).to_have_text(badge)
    expect(page.locator(".course-card", has=page.get_by_role("link", name="AI diagnostics", exact=True)).locator(".due-date")).to_have_count(0)
    check(page)
    page.goto(f"{live_server.url}/")
    expect(page.locator(".course-card", has=page.get_by_role("link", name="Clinical documentation AI", exact=True)).locator(".due-date")).to_have_text(badge)
    check(page)
    page.goto(f"{live_server.url}/courses/clinical-documentation-ai/")
    expect(page.locator(".course-status .due-date")).to_have_text(badge)
    check(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_a_manager_sets_a_due_date_and_the_learner_sees_it(
    page, live_server, login, check_a11y, snap, page_errors, team_world, width
):
    page.set_viewport_size(WIDTHS[width])

    def check(page):
        check_a11y(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]

    def refused():
        # The browser reports the 400 response itself: the refusal is the point here.
        assert page_errors and all("400" in error for error in page_errors), page_errors
        page_errors.clear()
        snap(page, f"refused-{width}")

    login(page, team_world["manager"])
    due = manager_sets_a_due_date(page, live_server, team_world, check=check, refused=refused)
    snap(page, f"courses-{width}")
    page.context.clear_cookies()
    login(page, team_world["learner"])
    learner_sees_it(page, live_server, due, check=check)
    page.goto(f"{live_server.url}/progress/")
    snap(page, f"progress-{width}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_the_same_journey_works(browser, live_server, login, snap, team_world, width):
    for who in ("manager", "learner"):
        context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        try:
            login(page, team_world[who])
            if who == "manager":
                due = manager_sets_a_due_date(page, live_server, team_world)
                snap(page, f"courses-{width}-no-js")
            else:
                learner_sees_it(page, live_server, due)
                snap(page, f"progress-{width}-no-js")
        finally:
            context.close()
