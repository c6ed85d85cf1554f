"""The team dashboard's first screen in a real browser, at a desktop (1280 x 800) and a phone
(390 x 844), with JavaScript and without: the manager opens the dashboard from the header,
sees who needs attention without scrolling, opens a member's page and comes back. axe finds
nothing serious (with JavaScript: axe is a script itself); console and CSP errors fail every
test (the ``page`` fixture).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.browser.header import open_menu
from tests.factories import (
    answer_block,
    complete_lessons,
    make_block,
    make_course,
    make_matrix,
    make_objective,
    make_person,
    make_quiz,
    make_team,
    predict,
    published_lessons,
    submit_attempt,
)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
NAMES = ["Amira Haddad", "Ben Okafor", "Chen Wei", "Dana Kowalski", "Elif Yilmaz", "Farid Rahimi"]


@pytest.fixture
def ward(make_user):
    """Ward 7 follows two courses assigned 30 days ago, the first due 3 days ago; six members
    with display names and varied progress (one finished, one failing, the rest behind)."""
    docs = make_course(slug="clinical-documentation-ai", title="Clinical documentation AI", lessons=3, order=1)
    dx = make_course(slug="ai-diagnostics", title="AI diagnostics", lessons=2, order=2)
    quiz = make_quiz(course=docs, slug="documentation-check", title="Documentation check", questions=2)
    lesson = published_lessons(course=docs)[0]
    objective = make_objective(lesson=lesson, key="gaps", text="Tell a format gap from a knowledge gap")
    block = make_block(course=docs, slug="gap-check")
    block.objectives.set([objective])
    cells = make_matrix()
    manager = make_user("mona", first_name="Mona", last_name="Ghali")
    members = [make_person(username=name.split()[0].lower()) for name in NAMES]
    Profile.objects.bulk_create([Profile(user=user, display_name=name) for user, name in zip(members, NAMES, strict=True)])
    team = make_team(slug="ward-7", name="Ward 7", courses=[docs, dx], managers=[manager], members=members,
                     assigned_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    team.assignments.filter(course=docs).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    team.memberships.update(joined_at=timezone.now() - datetime.timedelta(days=30))
    amira, ben, chen = members[:3]
    complete_lessons(user=amira, lessons=published_lessons(course=docs) + published_lessons(course=dx), days_ago=2)
    submit_attempt(user=amira, quiz=quiz, picks=["right", "right"], days_ago=1)
    complete_lessons(user=ben, lessons=published_lessons(course=docs)[:2], days_ago=1)
    submit_attempt(user=ben, quiz=quiz, picks=["wrong A", "right"], confidences=["sure", ""], days_ago=1)
    answer_block(user=ben, block=block, right=False, confidence="sure", days_ago=1)
    complete_lessons(user=chen, lessons=published_lessons(course=docs)[:1], days_ago=20)
    for n, member in enumerate(members):
        predict(user=member, cell=cells[1], right=n % 3 == 0, confidence="sure")
    return {"team": team, "manager": manager, "ben": ben}


def first_screen(page, viewport):
    """The attention heading and the first row sit inside the first viewport, unscrolled."""
    page.evaluate("window.scrollTo(0, 0)")
    height = VIEWPORTS[viewport]["height"]
    heading = page.get_by_role("heading", name="Who needs attention")
    first_row = page.locator(".attention-row").first
    expect(heading).to_be_visible()
    expect(first_row).to_be_visible()
    for element in (heading, first_row):
        box = element.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (viewport, box)
    return first_row


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_with_javascript_the_manager_sees_who_needs_attention_and_opens_a_member(
    page, live_server, login, check_a11y, snap, ward, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, ward["manager"])
    open_menu(page)  # on a phone the nav is behind "Menu"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ward 7").click()
    expect(page.get_by_role("heading", name="Ward 7: team dashboard")).to_be_visible()
    first_row = first_screen(page, viewport)
    # Most pressing first: everyone but Amira is overdue; Ben is also failing the quiz.
    expect(page.locator(".attention-name")).to_have_text(NAMES[1:])
    expect(first_row).to_contain_text("Overdue: Clinical documentation AI was due")
    expect(first_row).to_contain_text("Failing Documentation check: best 50%, pass mark 70%")
    expect(first_row.get_by_role("button", name="Nudge Ben Okafor")).to_be_visible()
    if viewport == "desktop":  # the other two answers share the first screen
        for name in ("What the team misunderstands", "This week"):
            box = page.get_by_role("heading", name=name).bounding_box()
            assert box["y"] + box["height"] <= VIEWPORTS[viewport]["height"], name
    expect(page.locator(".glance-misunderstood")).to_contain_text(
        "1 of 1 who answered is sure but wrong about “Tell a format gap from a knowledge gap”"
    )
    expect(page.locator(".glance-week")).to_contain_text("lessons completed")
    # The charts still draw, with their numbers one click away.
    expect(page.locator("#heatmap-chart svg.main-svg").first).to_be_visible()
    page.get_by_text("The same as a table").click()
    expect(page.get_by_role("rowheader", name="Amira Haddad")).to_be_visible()
    check_a11y(page)
    snap(page, f"dashboard-{viewport}")

    first_row.get_by_role("link", name="See details of Ben Okafor").click()
    expect(page.get_by_role("heading", name="Ben Okafor", level=1)).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Username ben.")
    section = page.locator("section", has=page.get_by_role("heading", name="Clinical documentation AI"))
    expect(section.get_by_role("row", name="Documentation check")).to_contain_text("Not passed")
    expect(section.get_by_role("row", name="Tell a format gap from a knowledge gap")).to_contain_text("Attempted")
    check_a11y(page)
    snap(page, f"member-{viewport}")
    page.get_by_role("link", name="Back to the Ward 7 dashboard").click()
    expect(page.get_by_role("heading", name="Ward 7: team dashboard")).to_be_visible()
    first_screen(page, viewport)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_without_javascript_the_same_journey_works(browser, live_server, login, snap, ward, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        login(page, ward["manager"])
        page.goto(live_server.url + "/teams/ward-7/")
        first_row = first_screen(page, viewport)
        expect(first_row).to_contain_text("Ben Okafor")
        # The numbers behind a chart open without a script (a <details>).
        page.get_by_text("The same as a table").click()
        expect(page.get_by_role("rowheader", name="Chen Wei")).to_be_visible()
        snap(page, f"no-js-dashboard-{viewport}")
        first_row.get_by_role("link", name="See details of Ben Okafor").click()
        expect(page.get_by_role("heading", name="Ben Okafor", level=1)).to_be_visible()
        page.get_by_role("link", name="Back to the Ward 7 dashboard").click()
        expect(page.get_by_role("heading", name="Who needs attention")).to_be_visible()
    finally:
        context.close()
