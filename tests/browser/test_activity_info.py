"""The course overview's "About this activity" in a real browser, at 1280 px and 390 px, with
JavaScript and without: a visitor reads it above the Start button; a learner who started finds
it closed below their progress and opens it (a plain <details>, no script needed). No sideways
scroll, and axe finds nothing serious, open or closed."""

import datetime

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import make_course, make_lesson, make_objective, make_quiz

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(make_user):
    course = make_course(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        released_on=datetime.date(2026, 3, 2), last_reviewed_on=datetime.date(2026, 9, 15),
        disclosure="**None.** The course received no commercial support.",
    )  # fmt: skip
    first = make_lesson(course=course, slug="format", title="Format, not knowledge", order=1)
    make_lesson(course=course, slug="notes", title="Notes and codes", order=2)
    make_objective(lesson=first, key="format", text="Tell a format gap from a knowledge gap")
    make_quiz(course=course, title="Check your understanding", questions=4, pass_percent=70)
    learner = make_user("lee")
    Enrollment.objects.create(user=learner, course=course, last_lesson=first)
    return {"course": course, "learner": learner}


def visitor_reads_it_before_start(page, live_server, world):
    page.goto(f"{live_server.url}{world['course'].get_absolute_url()}")
    activity = page.get_by_role("region", name="About this activity")
    expect(activity).to_be_visible()
    expect(activity.get_by_text("Tell a format gap from a knowledge gap")).to_be_visible()
    expect(activity.get_by_text("70% on the quiz “Check your understanding”")).to_be_visible()
    expect(activity.get_by_text("15 September 2029")).to_be_visible()
    expect(activity.get_by_text("The course received no commercial support.")).to_be_visible()
    start = page.get_by_role("link", name="Start with “Format, not knowledge”")
    above = activity.bounding_box()["y"] < start.bounding_box()["y"]
    assert above, "the activity information comes before the Start button"


def learner_opens_it_below_their_progress(page, live_server, world):
    page.goto(f"{live_server.url}{world['course'].get_absolute_url()}")
    expect(page.get_by_role("link", name="Resume where you left off")).to_be_visible()
    activity = page.get_by_role("region", name="About this activity")
    objective = activity.get_by_text("Tell a format gap from a knowledge gap")
    expect(objective).to_be_hidden()
    activity.get_by_text("Objectives, dates, time, passing score and disclosure").click()
    expect(objective).to_be_visible()
    expect(activity.get_by_text("The course received no commercial support.")).to_be_visible()


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript(page, live_server, login, check_a11y, snap, world, width):
    page.set_viewport_size(WIDTHS[width])
    visitor_reads_it_before_start(page, live_server, world)
    check_a11y(page)
    fits(page, width)
    snap(page, f"visitor-{width}")
    login(page, world["learner"])
    learner_opens_it_below_their_progress(page, live_server, world)
    check_a11y(page)
    fits(page, width)
    snap(page, f"learner-open-{width}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript(browser, live_server, login, snap, world, width):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        visitor_reads_it_before_start(page, live_server, world)
        fits(page, width)
        login(page, world["learner"])
        learner_opens_it_below_their_progress(page, live_server, world)
        fits(page, width)
        snap(page, f"learner-open-{width}-no-js")
    finally:
        context.close()
