"""The mail pages in a real browser, at a desktop and a phone width, with JavaScript and
without: the unsubscribe link from a mail (asks first, then one button, no log-in) and the
preferences page (a checkbox per kind, saved with a message). axe finds nothing serious."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import MailPreference
from notifications.tokens import make_token
from tests.browser.conftest import ACTION_TIMEOUT_MS

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def unsubscribe(page, live_server, user, check=lambda page: None):
    token = make_token(user_id=user.pk, kind="digest")
    page.goto(live_server.url + reverse("notifications:unsubscribe", kwargs={"token": token}))
    expect(page.get_by_role("heading", name="Unsubscribe?")).to_be_visible()
    expect(page.get_by_text("Stop sending l•••@example.com the weekly digest")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    check(page)
    choice = MailPreference.objects.get(user=user)
    assert (choice.reminders, choice.digest, choice.nudges) == (True, False, True)


def choose(page, live_server, login, user, check=lambda page: None):
    login(page, user)
    page.goto(live_server.url + "/account/email/")
    expect(page.get_by_role("heading", name="Your email")).to_be_visible()
    expect(page.get_by_role("group", name="Send me")).to_be_visible()
    expect(page.get_by_label("Weekly digest")).not_to_be_checked()
    check(page)
    page.get_by_label("Reminders").uncheck()
    page.get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator("#messages")).to_contain_text("We will not send you reminders about your courses")
    expect(page.get_by_label("Reminders")).not_to_be_checked()
    choice = MailPreference.objects.get(user=user)
    assert (choice.reminders, choice.digest, choice.nudges) == (False, True, True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_unsubscribe_then_choose_again(page, live_server, login, check_a11y, snap, learner, width):
    page.set_viewport_size(WIDTHS[width])
    unsubscribe(page, live_server, learner, check=check_a11y)
    snap(page, f"unsubscribed-{width}")
    choose(page, live_server, login, learner, check=check_a11y)
    check_a11y(page)
    snap(page, f"preferences-{width}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_the_same_pages_work(browser, live_server, login, snap, learner, width):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        unsubscribe(page, live_server, learner)
        choose(page, live_server, login, learner)
        snap(page, f"no-js-preferences-{width}")
    finally:
        context.close()


def test_a_forged_link_shows_a_clear_page(page, live_server):
    # (Fetched rather than opened: the browser logs every 4xx page load as a console error.)
    response = page.request.get(live_server.url + "/mail/unsubscribe/not-a-token/")
    assert response.status == 400
    assert "This unsubscribe link does not work" in response.text()
