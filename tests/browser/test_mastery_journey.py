"""Mastery in a real browser, at a desktop (1280 px) and a phone (390 px) width, with JavaScript
and without: a lesson lists its objectives, answering its tagged check moves the level on
/progress/ ("What you know, what to practise") and in the course overview's section, and the
"practise first" link leads back to the lesson. axe finds nothing serious with JavaScript on
(axe is a script itself); console and CSP errors fail every test (the ``page`` fixture).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import enrol, make_block, make_course, make_lesson, make_objective

PICKS = [("A format problem", True), ("A knowledge problem", False)]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def lesson(transactional_db):
    course = make_course(slug="docs-track", title="Docs track")
    block = make_block(course=course, slug="format-or-knowledge", title="Which gap?", picks=PICKS)
    lesson = make_lesson(
        course=course, slug="format-first", title="Format first", order=1,
        body="## Why\n\nRead this.\n\n[[check:format-or-knowledge]]\n\n## After\n\nDone.",
    )  # fmt: skip
    tell = make_objective(lesson=lesson, key="tell-format", text="Tell a format problem from a knowledge problem", order=1)
    make_objective(lesson=lesson, key="name-gap", text="Name the layout gap", order=2)
    block.objectives.set([tell])
    return lesson


def answer_wrong_and_sure(page):
    check = page.locator("#check-format-or-knowledge")
    check.get_by_label("A knowledge problem", exact=True).check()
    check.get_by_label("Sure", exact=True).check()
    check.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#check-format-or-knowledge")).to_contain_text("Not quite")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_levels_show_on_progress_and_the_overview(
    page, live_server, lesson, learner, login, check_a11y, snap, width
):
    page.set_viewport_size(WIDTHS[width])
    enrol(user=learner, course=lesson.course)
    login(page, learner)
    page.goto(live_server.url + lesson.get_absolute_url())
    objectives = page.locator(".lesson-objectives")
    expect(objectives.get_by_role("heading", name="You will learn to")).to_be_visible()
    expect(objectives).to_contain_text("Tell a format problem from a knowledge problem")
    check_a11y(page)
    answer_wrong_and_sure(page)

    page.goto(live_server.url + "/progress/")
    section = page.locator("section", has=page.get_by_role("heading", name="What you know, what to practise"))
    expect(section).to_contain_text("0 of 2 objectives mastered")
    row = section.get_by_role("row", name="Tell a format problem")
    expect(row).to_contain_text("Attempted")
    expect(section.get_by_role("row", name="Name the layout gap")).to_contain_text("Not started")
    snap(page, f"progress-{width}")
    check_a11y(page)

    page.goto(live_server.url + lesson.course.get_absolute_url())
    overview = page.locator(".course-mastery")
    expect(overview).to_contain_text("Attempted")
    snap(page, f"overview-{width}")
    check_a11y(page)
    overview.locator(".practise-first").get_by_role("link", name="Tell a format problem from a knowledge problem").click()
    expect(page).to_have_url(live_server.url + lesson.get_absolute_url())


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_the_same_pages_work(browser, live_server, lesson, learner, login, snap, width):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    enrol(user=learner, course=lesson.course)
    try:
        login(page, learner)
        page.goto(live_server.url + lesson.get_absolute_url())
        expect(page.locator(".lesson-objectives")).to_contain_text("Name the layout gap")
        answer_wrong_and_sure(page)
        page.goto(live_server.url + "/progress/")
        expect(page.get_by_role("row", name="Tell a format problem")).to_contain_text("Attempted")
        snap(page, f"no-js-progress-{width}")
        page.goto(live_server.url + lesson.course.get_absolute_url())
        expect(page.locator(".course-mastery")).to_contain_text("Not started")
        page.locator(".practise-first").get_by_role("link", name="Name the layout gap").click()
        expect(page).to_have_url(live_server.url + lesson.get_absolute_url())
    finally:
        context.close()
