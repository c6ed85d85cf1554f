"""A person signs up, logs out and logs in again, in a real browser."""

import re

from playwright.sync_api import expect

from tests.browser.header import open_account_menu


def test_sign_up_log_out_and_log_in_again(page, live_server, check_a11y, snap, db):
    page.goto(live_server.url + "/")
    check_a11y(page)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Email").fill("amira@example.com")
    page.get_by_label("Password", exact=True).fill("Broad-reasoning-wins-7")
    page.get_by_label("Password confirmation").fill("Broad-reasoning-wins-7")
    snap(page, "signup-filled")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Signed in as")).to_contain_text("amira")
    expect(page.get_by_role("status")).to_contain_text("Welcome, amira")

    open_account_menu(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_a11y(page)
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Password").fill("Broad-reasoning-wins-7")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_contain_text("amira")
    snap(page, "logged-in")


def test_sign_up_errors_are_shown_next_to_the_fields(page, live_server, check_a11y, db):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Email").fill("amira@example.com")
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Password confirmation").fill("different")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check_a11y(page)
