"""Display names in a real browser, at a desktop (1280 px) and a phone (390 px) width, with
JavaScript and without: a newcomer signs up with a display name and is greeted by it, the
header's name leads to the account page, where they change it (the header follows) and are
refused a new email address without their password, the message beside the field. axe finds
nothing serious with JavaScript on (axe is a script itself); console and CSP errors fail every
test with JavaScript (the ``page`` fixture)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.browser.header import open_account_menu

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "Broad-reasoning-wins-7"


def sign_up_and_edit_the_name(page, live_server, *, check=lambda page: None, refused=lambda: None,
                              snap=None, width=""):  # fmt: skip
    page.goto(live_server.url + "/")
    open_account_menu(page)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Your name, as your team sees it").fill("Amira Haddad")
    page.get_by_label("Email").fill("amira@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    check(page)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#messages")).to_contain_text("Welcome, Amira Haddad. Your account is ready.")
    open_account_menu(page)
    header = page.get_by_role("link", name="Signed in as Amira Haddad")
    expect(header).to_be_visible()
    assert Profile.objects.get(user__username="amira").display_name == "Amira Haddad"

    header.click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    expect(page.get_by_label("Your name, as your team sees it")).to_have_value("Amira Haddad")
    expect(page.get_by_role("link", name="Change your password")).to_be_visible()
    expect(page.get_by_role("link", name="Email preferences")).to_be_visible()
    check(page)
    if snap:
        snap(page, f"account-{width}")

    page.get_by_label("Your name, as your team sees it").fill("Dr Amira Haddad")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Saved your name.")
    open_account_menu(page)
    expect(page.get_by_role("link", name="Signed in as Dr Amira Haddad")).to_be_visible()
    assert Profile.objects.get(user__username="amira").display_name == "Dr Amira Haddad"

    # A new address needs the current password; without it nothing is saved.
    page.get_by_label("Email").fill("someone@example.net")
    page.get_by_label("Your name, as your team sees it").fill("Someone else")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.locator("#id_current_password_error")).to_contain_text("enter your current password")
    refused()
    check(page)
    if snap:
        snap(page, f"account-refused-{width}")
    assert Profile.objects.get(user__username="amira").display_name == "Dr Amira Haddad"

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Saved your name and your email address.")
    expect(page.get_by_label("Email")).to_have_value("someone@example.net")


def fits(page, width):
    """Nothing sticks out sideways at this width."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_sign_up_with_a_display_name_and_edit_it(
    page, live_server, check_a11y, snap, page_errors, width, db
):
    page.set_viewport_size(WIDTHS[width])

    def check(page):
        check_a11y(page)
        fits(page, width)

    def refused():
        # The browser reports the 400 response itself: the refusal is the point here.
        assert page_errors and all("400" in error for error in page_errors), page_errors
        page_errors.clear()

    sign_up_and_edit_the_name(page, live_server, check=check, refused=refused, snap=snap, width=width)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_the_same_journey_works(browser, live_server, snap, width, db):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        sign_up_and_edit_the_name(page, live_server, snap=snap, width=f"{width}-no-js")
    finally:
        context.close()
