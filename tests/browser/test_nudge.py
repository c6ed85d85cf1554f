"""A manager nudges a member from the team dashboard in a real browser, at a desktop and a phone
width: with JavaScript the button is replaced by "Nudged at 14:05" in place; without, the form
posts and the dashboard comes back with a message, and a second nudge the same day is refused
with its reason. The member's reminder arrives at a real SMTP server on loopback, once.

The dashboard's Nudge form (templates/progress/includes/nudge_form.html) is a POST form to
``notifications:nudge`` with a button named "Nudge" in each row of "who needs attention", and
``static/js/nudge.js`` on the page (notifications/views.py gives the markup).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Profile
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import make_course, make_person, make_team

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
NUDGE = re.compile(r"^Nudge")


@pytest.fixture
def ward(make_user):
    """Ben has not started the course assigned a month ago: he needs attention."""
    course = make_course(slug="imaging-ai", title="Imaging AI", lessons=3)
    manager = make_user("mona")
    Profile.objects.create(user=manager, display_name="Mona Ghali")
    ben = make_person(username="ben")
    Profile.objects.create(user=ben, display_name="Ben Okafor")
    month_ago = timezone.now() - datetime.timedelta(days=30)
    team = make_team(slug="ward-7", name="Ward 7", courses=[course], managers=[manager], members=[ben],
                     assigned_at=month_ago)  # fmt: skip
    Membership.objects.filter(team=team).update(joined_at=month_ago)
    return {"team": team, "manager": manager, "ben": ben}


def open_dashboard(page, live_server, ward):
    page.goto(f"{live_server.url}/teams/{ward['team'].slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ward 7")
    buttons = page.get_by_role("button", name=NUDGE)
    expect(buttons).to_have_count(1)  # Ben, the one member who needs attention
    return buttons.first


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_the_nudge_button_becomes_nudged_at(
    page, page_errors, live_server, login, check_a11y, snap, smtp_mail, ward, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, ward["manager"])
    button = open_dashboard(page, live_server, ward)
    expect(button).to_be_visible()
    url = page.url
    button.click()
    result = page.get_by_role("status").filter(has_text=re.compile(r"Nudged at \d\d:\d\d"))
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    assert page.url == url  # swapped in place, no page load
    expect(page.get_by_role("button", name=NUDGE)).to_have_count(0)
    check_a11y(page)
    snap(page, f"nudged-{width}")
    (mail,) = smtp_mail.wait_for(1)
    assert mail.recipients == ["ben@example.com"]
    assert mail.subject == "A reminder from Mona Ghali (Ward 7)"

    # Later that day, from a fresh dashboard: refused (429) and said so in place, focused.
    open_dashboard(page, live_server, ward).click()
    refused = page.get_by_role("status").filter(has_text="Ben Okafor was already nudged today at")
    expect(refused).to_be_visible()
    expect(refused).to_be_focused()
    assert len(smtp_mail.messages) == 1
    # The browser logs the refusal's status; that one, and nothing else, is expected.
    assert page_errors and all("429" in error for error in page_errors), page_errors
    page_errors.clear()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_the_nudge_posts_and_a_second_is_refused(
    browser, live_server, login, snap, smtp_mail, ward, width
):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        login(page, ward["manager"])
        open_dashboard(page, live_server, ward).click()
        expect(page).to_have_url(re.compile(r"/teams/ward-7/"))
        expect(page.locator("#messages")).to_contain_text(
            re.compile(r"Ben Okafor was nudged at \d\d:\d\d: a reminder is on its way.")
        )
        snap(page, f"no-js-nudged-{width}")
        open_dashboard(page, live_server, ward).click()
        expect(page.locator("#messages")).to_contain_text(
            "Ben Okafor was already nudged today at"
        )
        expect(page.locator("#messages")).to_contain_text("you can nudge them again tomorrow")
        assert len(smtp_mail.wait_for(1)) == 1
    finally:
        context.close()
