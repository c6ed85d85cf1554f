"""Search in a real browser: from the header's box on any page to a result, with JavaScript and
without, at a desktop and a phone width; the results page and its messages are axe clean and
never scroll sideways; an over-long query is a 400 that shows the form again."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.browser.header import open_menu

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def shipped(transactional_db):
    call_command("load_content", "content", stdout=StringIO())


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def search_journey(page, live_server, *, check, snap, name):
    page.goto(f"{live_server.url}/")
    open_menu(page)  # on a phone the search box is the first thing in the menu
    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill('"regulatory audit" matrix')
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".search-summary")).to_contain_text('for "regulatory audit" matrix')
    expect(page.locator(".search-result mark").first).to_be_visible()
    check(page)
    snap(page, f"results-{name}")

    # A result opens its page at the section that matched.
    first = page.locator(".search-result-link").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href.split('#')[0]}*")
    assert page.url.endswith(href)

    # The page's own form: only common words get a message, not an error page.
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Search lessons, quizzes and the decision matrix").fill("the of and")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator("#search-message")).to_contain_text("too common to search for")
    check(page)

    # No results suggest a way on.
    page.goto(f"{live_server.url}/search/?q=zeppelin")
    expect(page.locator(".search-summary")).to_contain_text("No results for zeppelin")
    check(page)


def over_long(page, live_server, *, check, snap, name):
    response = page.goto(f"{live_server.url}/search/?q={'x' * 5000}")
    assert response.status == 400
    expect(page.locator("#search-message")).to_contain_text("5,000 characters")
    expect(page.locator("#search-q")).to_have_value("x" * 200)
    check(page)
    snap(page, f"too-long-{name}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_with_javascript(page, live_server, shipped, check_a11y, snap, width, page_errors):
    page.set_viewport_size(WIDTHS[width])

    def check(page):
        check_a11y(page)
        no_sideways_scroll(page)

    search_journey(page, live_server, check=check, snap=snap, name=width)
    over_long(page, live_server, check=check, snap=snap, name=width)
    # The browser reports the 400 in its console; that is the refusal, not a page error.
    assert all("400" in error for error in page_errors), page_errors
    page_errors.clear()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_without_javascript(browser, live_server, shipped, check_a11y, snap, width):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)

    def check(page):
        no_sideways_scroll(page)  # axe needs JavaScript; the page is the same as with it

    try:
        search_journey(page, live_server, check=check, snap=snap, name=f"{width}-no-js")
        over_long(page, live_server, check=check, snap=snap, name=f"{width}-no-js")
    finally:
        context.close()
