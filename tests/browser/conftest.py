"""Real-browser harness: Playwright on Debian's Chromium against pytest-django's live_server.

Every page a test opens is watched for Content-Security-Policy violations and console errors
(``page_errors``); ``check_a11y(page)`` runs axe-core and fails on serious or critical
violations; ``snap(page, name)`` saves a screenshot under tests/browser/screenshots/.
"""

import os
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import get_path_info
from django.db import connection
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser

# CI shares two cores with other work: a page or an htmx swap that takes a few seconds there
# is slow, not broken. Generous waits keep the suite deterministic on a busy machine; a real
# failure still fails, only later.
ACTION_TIMEOUT_MS = 20_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)

SCREENSHOTS = Path(__file__).parent / "screenshots"
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class OneRequestAtATime(StaticFilesHandler):
    """Serves static files at once and every other request one at a time, to its end.

    On SQLite the test database lives in memory: the live server's request threads either
    share the test's one connection or open their own to the same shared-cache database
    (which of the two depends on whether the test database existed when the session-scoped
    server started). Either way two requests using it at once (a page's background fetch, such
    as the admin's lesson preview, still running when the test opens the next page) can fail:
    "bad parameter or other API misuse" on a shared connection, "database table is locked"
    between shared-cache connections. A file database or PostgreSQL would make one wait.
    Holding the lock until the response is closed keeps the work Django does then
    (``request_finished``: after-response refreshes) under it too.
    """

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        if self._should_handle(get_path_info(environ)):
            return super().__call__(environ, start_response)
        with self.lock:
            response = super().__call__(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        return [body]


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving one request at a time on SQLite's in-memory database."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if connection.vendor == "sqlite":
        server.thread.static_handler = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(request, settings):
    """Links in mail and on pages (SITE_URL) point at the test's own server."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def page_errors():
    """The console errors and CSP violations seen by any page in this test."""
    return []


@pytest.fixture
def context(context, page_errors):
    context.add_init_script(CSP_LISTENER)
    context.on("weberror", lambda error: page_errors.append(f"page error: {error.error}"))
    return context


@pytest.fixture
def page(page, page_errors):
    def on_console(message):
        if message.type == "error":
            page_errors.append(message.text)

    page.on("console", on_console)
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield page
    assert page_errors == [], f"console errors or CSP violations: {page_errors}"


@pytest.fixture
def check_a11y():
    axe = Axe()

    def check(page):
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"axe found on {page.url}: {serious}"

    return check


@pytest.fixture
def snap(request):
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page, name):
        # caret="initial": hiding the caret leaves style="" on every input, which htmx then
        # copies onto swapped-in elements and the CSP reports as an inline style.
        page.screenshot(
            path=SCREENSHOTS / f"{request.node.name}-{name}.png", full_page=True, caret="initial"
        )

    return save


@pytest.fixture
def login(live_server, password):
    """Log a user in through the real log-in form."""

    def do_login(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do_login
