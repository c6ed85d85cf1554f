"""The site header (templates/base.html): on a phone everything but the brand sits in one
"Menu" disclosure; the account links (the account page, Password, Log out) are grouped in an
account menu; both are <details>, so they open without JavaScript. The layout per width is
CSS, checked in tests/browser/test_every_page.py."""

import pytest
from django.urls import reverse

from tests.html import elements

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_s_nav_and_account_links_are_inside_the_menu(learner_client):
    body = learner_client.get(reverse("courses:catalog")).content.decode()
    (menu,) = elements(body, "details", class_="site-menu")
    (toggle,) = elements(body, "summary", class_="menu-toggle")
    assert toggle.text == "Menu"
    for name in ("Courses", "My progress", "Review", "Signed in as learner", "Password", "Log out"):
        assert name in menu.text, name
    assert elements(body, "nav", **{"aria-label": "Main"})


def test_the_account_links_are_one_menu_named_for_the_person(learner_client):
    body = learner_client.get(reverse("courses:catalog")).content.decode()
    (account,) = elements(body, "details", class_="account-menu")
    (toggle,) = elements(body, "summary", class_="account-toggle")
    assert toggle.text == "Account menu: learner"
    assert "Signed in as learner: your account" in account.text
    assert "Password" in account.text and "Log out" in account.text
    assert "My progress" not in account.text
    (logout,) = elements(body, "form", action=reverse("logout"))
    assert logout.attrs["method"] == "post"


def test_the_current_account_page_is_marked_in_the_account_menu(learner_client):
    body = learner_client.get(reverse("password_change")).content.decode()
    (link,) = elements(body, "a", href=reverse("password_change"), **{"aria-current": "page"})
    assert link.text == "Password"


def test_a_visitor_s_menu_has_log_in_and_sign_up_and_no_account_menu(client):
    body = client.get(reverse("courses:catalog")).content.decode()
    (menu,) = elements(body, "details", class_="site-menu")
    assert "Log in" in menu.text and "Sign up" in menu.text
    assert elements(body, "details", class_="account-menu") == []


def test_the_menu_script_is_a_deferred_file_and_the_page_has_no_html_comment(client):
    """menu.js only adds Escape and click-away; no inline script (the CSP forbids one), and no
    HTML comment in the page (the quiz pages' leak test forbids one)."""
    body = client.get(reverse("courses:catalog")).content.decode()
    (script,) = [
        s for s in elements(body, "script", src=True) if s.attrs["src"].endswith("js/menu.js")
    ]
    assert "defer" in script.attrs
    assert "<!--" not in body
