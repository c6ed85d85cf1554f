"""The quality bar for every screen: each learner and manager page, on the shipped course
material and the demo team (``load_content`` and ``seed_demo``), at a phone (390 x 844) and a
desktop (1280 x 800) width, has no sideways scroll and no serious or critical axe finding, in
the light theme and, for a handful of pages, the dark one. Each page is photographed at each
size into tests/browser/screenshots/ (git-ignored) for a person to look at.

A page added later is one line in PAGES: (name, who is signed in, a function giving its URL).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership, Team
from lessons.models import Lesson
from progress import demo
from quizzes.models import Attempt, Quiz
from tests.browser.conftest import CSP_LISTENER

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LEARNER = "demo-learner-03"  # midway through the courses: pages show progress, not emptiness
MANAGER = demo.MANAGER
COURSE = "clinical-documentation-ai"


def _lesson() -> str:
    return (
        Lesson.objects.filter(course__slug=COURSE, status="published")
        .order_by("order")
        .first()
        .get_absolute_url()
    )


def _attempt() -> str:
    attempt = Attempt.objects.filter(user__username=LEARNER).order_by("-submitted_at").first()
    return reverse("quizzes:attempt", kwargs={"quiz": attempt.quiz.slug, "attempt": attempt.pk})


def _membership() -> Membership:
    return Membership.objects.get(team__slug=demo.TEAM_SLUG, user__username=LEARNER)


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None  # a username, or None for a visitor who is not signed in
    url: Callable[[], str]
    dark: bool = False  # also checked in the dark theme
    status: int = 200  # an unknown link or page answers 404 (or 400), with a page all the same
    marks: tuple = field(default=())


PAGES = [
    Page("catalog", LEARNER, lambda: reverse("courses:catalog"), dark=True),
    Page("catalog-visitor", None, lambda: reverse("courses:catalog")),
    Page("course-overview", LEARNER, lambda: reverse("courses:overview", kwargs={"course": COURSE})),
    Page("lesson", LEARNER, _lesson, dark=True),
    Page("quiz", LEARNER, lambda: Quiz.objects.get(course__slug=COURSE).get_absolute_url()),
    Page("quiz-result", LEARNER, _attempt, dark=True),
    Page("practice", LEARNER, lambda: reverse("practice:block", kwargs={"slug": "doc-audit-route"})),
    Page("matrix", LEARNER, lambda: reverse("matrix:detail", kwargs={"matrix": "base-strength"}), dark=True),
    Page("search", LEARNER, lambda: reverse("search:results") + "?q=fine-tuning+cost", dark=True),
    Page("search-visitor", None, lambda: reverse("search:results") + "?q=%22base+model%22"),
    Page("review", LEARNER, lambda: reverse("review:queue")),
    Page("my-progress", LEARNER, lambda: reverse("progress:mine"), dark=True),
    Page("account", LEARNER, lambda: reverse("accounts:account")),
    Page("mail-preferences", LEARNER, lambda: reverse("notifications:preferences")),
    Page("password-change", LEARNER, lambda: reverse("password_change")),
    Page("join", LEARNER, lambda: reverse("teams:join", kwargs={"invite_code": Team.objects.get(slug=demo.TEAM_SLUG).invite_code})),
    Page("join-unknown-link", LEARNER, lambda: reverse("teams:join", kwargs={"invite_code": "no-such-code"}), status=404),
    Page("login", None, lambda: reverse("login")),
    Page("signup", None, lambda: reverse("accounts:signup")),
    Page("password-reset", None, lambda: reverse("password_reset")),
    Page("unsubscribe-unknown-link", None, lambda: reverse("notifications:unsubscribe", kwargs={"token": "no-such-token"}), status=400),
    Page("not-found", None, lambda: "/no-such-page/", status=404),
    Page("teams", MANAGER, lambda: reverse("progress:teams")),
    Page("team-dashboard", MANAGER, lambda: reverse("progress:team", kwargs={"team": demo.TEAM_SLUG}), dark=True),
    Page("member", MANAGER, lambda: reverse("progress:member", kwargs={"team": demo.TEAM_SLUG, "membership": _membership().pk})),
    Page("team-courses", MANAGER, lambda: reverse("teams:courses", kwargs={"team": demo.TEAM_SLUG})),
    Page("members", MANAGER, lambda: reverse("teams:members", kwargs={"team": demo.TEAM_SLUG}), dark=True),
    Page("remove-member", MANAGER, lambda: reverse("teams:remove_member", kwargs={"team": demo.TEAM_SLUG, "membership": _membership().pk})),
]  # fmt: skip


@pytest.fixture
def demo_site(live_server):
    """The shipped content and the demo team, as ``make run`` has them."""
    call_command("load_content", "content", verbosity=0, stdout=_Quiet())
    demo.seed_demo()
    return live_server


class _Quiet:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


def sign_in(page, base_url, username):
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_is_clean(page):
    """No serious or critical axe finding, with WCAG 2.2's target size (24 x 24 px) checked too
    (axe leaves that rule off unless asked)."""
    results = Axe().run(page, options={"rules": {"target-size": {"enabled": True}}})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"axe found on {page.url}: {serious}"


def no_sideways_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (
        f"{page.url} scrolls sideways at {widths[1]} px: {widths[0]} px wide"
    )


@pytest.mark.parametrize("spec", [pytest.param(p, id=p.name, marks=p.marks) for p in PAGES])
def test_every_page_fits_a_phone_and_a_desktop_and_passes_axe(
    browser, demo_site, page_errors, snap, spec
):
    schemes = ["light", "dark"] if spec.dark else ["light"]
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(CSP_LISTENER)
    context.on("weberror", lambda error: page_errors.append(f"page error: {error.error}"))
    try:
        page = context.new_page()
        page.on(
            "console", lambda message: message.type == "error" and page_errors.append(message.text)
        )
        if spec.who:
            sign_in(page, demo_site.url, spec.who)
        url = f"{demo_site.url}{spec.url()}"
        failures = []
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            for size, viewport in VIEWPORTS.items():
                page.set_viewport_size(viewport)
                response = page.goto(url)
                assert response.status == spec.status, (url, response.status)
                expect(page.locator("h1").first).to_be_visible()
                suffix = f"{size}" + ("-dark" if scheme == "dark" else "")
                snap(page, suffix)
                for check in (no_sideways_scroll, axe_is_clean):
                    try:
                        check(page)
                    except AssertionError as error:
                        failures.append(f"[{suffix}] {error}")
        assert failures == [], "\n".join(failures)
        # The browser logs a 4xx page's status itself: that one is expected.
        expected = f"the server responded with a status of {spec.status}"
        errors = [error for error in page_errors if spec.status == 200 or expected not in error]
        assert errors == [], f"console errors or CSP violations: {errors}"
    finally:
        context.close()


def test_the_phone_header_is_compact_and_its_menu_opens_without_javascript(
    browser, demo_site, snap
):
    """At 390 px the header is one row (brand and Menu); the nav and account links are inside
    the menu, which opens and closes with no script at all."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, demo_site.url, LEARNER)
        assert (
            page.locator(".site-header").bounding_box()["height"]
            <= 0.08 * VIEWPORTS["phone"]["height"]
        )
        menu = page.locator("summary.menu-toggle")
        expect(menu).to_have_text("Menu")
        expect(page.get_by_role("link", name="My progress")).to_be_hidden()
        expect(page.get_by_role("button", name="Log out")).to_be_hidden()
        menu.click()
        header = page.get_by_role("banner")
        for name in ("Courses", "My progress", "Review", "Signed in as", "Password"):
            expect(header.get_by_role("link", name=name)).to_be_visible()
        expect(header.get_by_role("button", name="Log out")).to_be_visible()
        snap(page, "menu-open")
        header.get_by_role("link", name="My progress").click()
        expect(page).to_have_url(f"{demo_site.url}{reverse('progress:mine')}")
        expect(header.get_by_role("link", name="My progress")).to_be_hidden()  # a new page: closed
    finally:
        context.close()


def test_on_a_desktop_the_nav_shows_and_the_account_links_are_one_menu(page, demo_site, check_a11y):
    page.set_viewport_size(VIEWPORTS["desktop"])
    sign_in(page, demo_site.url, LEARNER)
    expect(page.locator("summary.menu-toggle")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My progress")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    account = page.locator("summary.account-toggle")
    account.click()
    expect(page.get_by_role("link", name="Signed in as")).to_be_visible()
    expect(page.get_by_role("link", name="Password")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    check_a11y(page)
    page.keyboard.press("Escape")  # static/js/menu.js: Escape closes it and returns focus
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    expect(account).to_be_focused()


def test_the_focus_ring_is_two_tone_and_not_the_error_colour(page, demo_site):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(f"{demo_site.url}{reverse('login')}")
    page.get_by_label("Username").focus()
    page.keyboard.press("Tab")  # keyboard focus: :focus-visible applies
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        const bad = getComputedStyle(document.documentElement).getPropertyValue('--bad').trim();
        return {outline: s.outlineColor, width: s.outlineWidth, shadow: s.boxShadow, bad}; }"""
    )
    assert ring["width"] == "3px"
    assert ring["outline"] == "rgb(17, 20, 24)"  # --ring-dark
    assert "rgb(255, 212, 59)" in ring["shadow"]  # --ring-light, inside the dark ring
    assert ring["bad"] not in (ring["outline"], "#c2410c")
