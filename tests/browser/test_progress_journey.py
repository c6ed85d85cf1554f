"""A learner with some progress opens "My progress" in a real browser, on a phone and on a
laptop, with JavaScript on and off: the activity bars are drawn by the server (no plotly, no
script), the numbers are the table beside each bar, nothing scrolls sideways, and Continue
leads to the next unfinished lesson."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import (
    complete_lessons,
    make_course,
    make_matrix,
    make_quiz,
    predict,
    published_lessons,
    submit_attempt,
)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def amira(make_user):
    learner = make_user("amira")
    docs = make_course(
        slug="clinical-documentation-ai", title="Clinical documentation AI", lessons=4, order=1
    )
    dx = make_course(slug="ai-diagnostics", title="AI diagnostics", order=2, lessons=2)
    quiz = make_quiz(course=docs, slug="documentation-check", questions=3)
    lessons = published_lessons(course=docs)
    for lesson, days in zip(lessons[:2], (9, 2), strict=True):
        complete_lessons(user=learner, lessons=[lesson], days_ago=days)
    for lesson in published_lessons(course=dx):
        complete_lessons(user=learner, lessons=[lesson], days_ago=1)
    submit_attempt(user=learner, quiz=quiz, picks=["right", "wrong A", "right"], days_ago=1)
    cells = make_matrix()
    predict(user=learner, cell=cells[1], right=True)
    predict(user=learner, cell=cells[3], right=False)
    return learner


def reads_the_dashboard(page):
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    expect(page.get_by_text("2 of 4 lessons completed (50%)")).to_be_visible()
    expect(page.get_by_text("2 of 2 lessons completed (100%)")).to_be_visible()
    expect(page.get_by_text("best 66%")).to_be_visible()
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    chart = page.get_by_role("figure", name=re.compile("Lessons completed per week"))
    expect(chart).to_contain_text("4 lessons completed in the last 12 weeks")
    table = chart.get_by_role("table", name=re.compile("Lessons completed per week"))
    expect(table.get_by_role("row")).to_have_count(13)  # the header and 12 weeks
    expect(table.locator(".bar-fill").first).to_be_visible()
    busiest = chart.locator(".bar-fill[width='100.0%']")
    expect(busiest).to_have_count(1)
    assert busiest.bounding_box()["width"] > 20
    expect(
        page.get_by_role("row", name=re.compile(r"Fine-tune or generalist|Matrix base-strength"))
    ).to_contain_text("50%")
    assert page.locator("script[src*='plotly']").count() == 0
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_reads_their_progress_and_continues(
    page, live_server, login, check_a11y, snap, amira, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, amira)
    page.goto(f"{live_server.url}/progress/")
    reads_the_dashboard(page)
    check_a11y(page)
    snap(page, "my-progress")

    page.get_by_role("link", name="Continue Clinical documentation AI").click()
    expect(page).to_have_url(re.compile(r"/courses/clinical-documentation-ai/lesson-3/$"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_without_javascript_the_bars_are_the_same(
    browser, live_server, password, snap, amira, viewport
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/progress/")
        page.get_by_label("Username").fill(amira.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        reads_the_dashboard(page)
        snap(page, "my-progress-no-js")
    finally:
        context.close()
