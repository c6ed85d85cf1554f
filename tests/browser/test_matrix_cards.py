"""The decision matrix on a phone and on a laptop, with JavaScript on and off.

Under 40rem of widget width each table row is a card whose cells are labelled lines; wider,
it is a table, and a table too wide for its widget scrolls in a region a keyboard can reach.
Either way the page never scrolls sideways, axe finds nothing serious, the controls are
24 px targets at least, and the base-strength toggle still changes who wins.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.content_files import LoadStats
from courses.models import Course
from lessons.models import Lesson
from matrix.content import load_matrix
from matrix.content_reading import read_matrix_file
from tests.browser.conftest import ACTION_TIMEOUT_MS, CSP_LISTENER

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "matrices" / "base-strength.toml"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCRIPTING = {"js": True, "no-js": False}
STRONG_ANSWERS = {
    "Domain coverage": "Marginal gain",
    "Output format": "Prompting works",
    "Regulatory audit": "Fine-tune wins",
    "Reasoning breadth": "Generalist wins",
}
MIN_TARGET = 24


@pytest.fixture
def matrix(transactional_db):
    for order, slug in enumerate(
        ("clinical-documentation-ai", "medical-imaging-ai", "ai-diagnostics"), 1
    ):
        Course.objects.create(slug=slug, title=slug, summary=slug, is_published=True, order=order)
    return load_matrix(read_matrix_file(SHIPPED), path=SHIPPED, stats=LoadStats())


@pytest.fixture
def lesson(matrix):
    return Lesson.objects.create(
        course=Course.objects.get(slug="ai-diagnostics"), slug="weigh-it-up", title="Weigh it up",
        order=1, status="published", body="## Try it\n\nToggle the base.\n\n[[matrix:base-strength]]\n",
    )  # fmt: skip


@pytest.fixture(
    params=[(v, s) for v in VIEWPORTS for s in SCRIPTING], ids=lambda p: f"{p[0]}-{p[1]}"
)
def screen(request, browser, page_errors):
    """A page at one viewport, with JavaScript on or off (the CSP and console are watched)."""
    viewport, scripting = request.param
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], java_script_enabled=SCRIPTING[scripting]
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.on("console", lambda message: message.type == "error" and page_errors.append(message.text))
    yield page, viewport, SCRIPTING[scripting]
    context.close()
    assert page_errors == []


@pytest.fixture
def axe_clean(browser, check_a11y):
    """axe on the page as it stands, or, with JavaScript off (where axe cannot run), on the
    same URL in a browser that runs axe but none of the page's own scripts."""

    def check(page, scripting):
        if scripting:
            check_a11y(page)
            return
        context = browser.new_context(viewport=page.viewport_size)
        context.route(re.compile(r"/static/.*\.js(\?.*)?$"), lambda route: route.abort())
        try:
            twin = context.new_page()
            twin.goto(page.url)
            assert twin.evaluate("() => !window.htmx && !window.matrixWidgetReady")
            check_a11y(twin)
        finally:
            context.close()

    return check


def no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} > {width[1]}"


def is_card(page, selector="#matrix-0 table tbody tr") -> bool:
    return page.locator(selector).first.evaluate("row => getComputedStyle(row).display") == "block"


def cell_labels(page, table="#matrix-0 table") -> list[str]:
    """What each cell of the first row shows as its label (the ::before content)."""
    return (
        page.locator(f"{table} tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    )


def assert_targets(page, selector):
    for box in page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => {const r = e.getBoundingClientRect();"
        " return [e.textContent.trim(), r.width, r.height]})"
    ):
        assert box[1] >= MIN_TARGET and box[2] >= MIN_TARGET, f"{selector} too small: {box}"


def choose_strong(page, scripting, scope="#matrix-0"):
    widget = page.locator(scope)
    widget.get_by_text("Strong base", exact=True).click()
    if not scripting:
        widget.get_by_role("button", name="Show this column").click()


def test_the_matrix_page_reads_and_toggles_on_every_screen(
    screen, live_server, matrix, axe_clean, snap
):
    page, viewport, scripting = screen
    page.goto(f"{live_server.url}/matrix/base-strength/")
    table = page.locator("#matrix-0").get_by_role("table", name="Who wins with a weak base")
    expect(table).to_contain_text("Fine-tune wins")
    assert is_card(page) == (viewport == "phone")
    if viewport == "phone":
        assert cell_labels(page)[:2] == ['"Verdict" / ""', '"Why" / ""']
    # The header cells stay in the accessibility tree, so each cell is read with its header.
    expect(table.get_by_role("columnheader", name="Verdict")).to_have_count(1)
    expect(table.get_by_role("rowheader", name="Regulatory audit")).to_have_count(1)
    no_sideways_scroll(page)
    # The table fits: with JavaScript its scroller is no tab stop; without, it keeps one.
    region = page.locator("#matrix-0 .table-scroll")
    if scripting:
        expect(region).not_to_have_attribute("tabindex", "0")
    else:
        expect(region).to_have_attribute("tabindex", "0")
    assert_targets(
        page,
        "#matrix-0 .matrix-segment, #matrix-0 .matrix-views a, .matrix-preset, .matrix-option input",
    )
    axe_clean(page, scripting)
    snap(page, "weak")

    choose_strong(page, scripting)
    expect(page).to_have_url(re.compile(r"\?base=strong$"))
    strong = page.locator("#matrix-0").get_by_role("table", name="Who wins with a strong base")
    expect(strong.get_by_role("row", name=re.compile("Reasoning breadth"))).to_contain_text(
        "Generalist wins"
    )
    expect(strong.get_by_role("row", name=re.compile("Output format"))).to_contain_text(
        "Prompting works"
    )
    no_sideways_scroll(page)
    axe_clean(page, scripting)
    snap(page, "strong")


def test_compare_all_stacks_each_condition_with_every_column(
    screen, live_server, matrix, axe_clean, snap
):
    page, viewport, scripting = screen
    page.goto(f"{live_server.url}/matrix/base-strength/?view=compare")
    table = page.locator("#matrix-0").get_by_role("table", name="Every base strength side by side")
    expect(table.get_by_role("columnheader", name="Strong base")).to_have_count(1)
    assert is_card(page) == (viewport == "phone")
    if viewport == "phone":
        assert cell_labels(page) == ['"Weak base" / ""', '"Strong base" / ""']
    no_sideways_scroll(page)
    assert_targets(page, "#matrix-0 .matrix-details summary")

    # "Why" opens from the keyboard: focus the first toggle and press Enter.
    why = table.locator("summary").first
    why.focus()
    page.keyboard.press("Enter")
    expect(table.locator("details").first).to_have_attribute("open", "")
    expect(table.locator(".matrix-why").first).to_be_visible()
    no_sideways_scroll(page)
    axe_clean(page, scripting)
    snap(page, "compare")


def test_a_lesson_with_the_matrix_embedded_fits_the_screen(
    screen, live_server, lesson, axe_clean, snap
):
    page, viewport, scripting = screen
    page.goto(f"{live_server.url}{lesson.get_absolute_url()}")
    expect(page.locator("#matrix-0").get_by_role("table")).to_contain_text("Fine-tune wins")
    assert is_card(page) == (viewport == "phone")
    no_sideways_scroll(page)
    axe_clean(page, scripting)
    choose_strong(page, scripting)
    expect(page.locator("#matrix-0").get_by_role("table")).to_contain_text("Generalist wins")
    no_sideways_scroll(page)
    snap(page, "lesson")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_revealed_predictions_are_cards_on_a_phone(
    page, live_server, matrix, learner, login, check_a11y, snap, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, learner)
    page.goto(f"{live_server.url}/matrix/base-strength/?base=strong&view=predict")
    form = page.locator("#matrix-0 form.matrix-predict")
    for condition, answer in STRONG_ANSWERS.items():
        form.get_by_role("group", name=condition).locator(".matrix-choices").get_by_text(
            answer, exact=True
        ).click()
    assert_targets(page, "#matrix-0 .matrix-choice label")
    form.get_by_role("button", name="Reveal the strong base column").click()
    expect(page.locator("#matrix-0")).to_contain_text("You predicted 4 of 4 right")
    assert is_card(page) == (viewport == "phone")
    if viewport == "phone":
        assert cell_labels(page) == ['"Your prediction" / ""', '"Answer" / ""', '"Why" / ""']
    no_sideways_scroll(page)
    check_a11y(page)
    snap(page, "revealed")


def test_a_table_that_scrolls_at_a_middle_width_is_a_region_the_keyboard_reaches(
    page, live_server, matrix, learner, login, check_a11y
):
    page.set_viewport_size(VIEWPORTS["desktop"])
    login(page, learner)
    page.goto(f"{live_server.url}/matrix/base-strength/?base=strong&view=predict")
    form = page.locator("#matrix-0 form.matrix-predict")
    for condition, answer in STRONG_ANSWERS.items():
        form.get_by_role("group", name=condition).locator(".matrix-choices").get_by_text(
            answer, exact=True
        ).click()
    form.get_by_role("button", name="Reveal the strong base column").click()
    region = page.get_by_role("region", name=re.compile("Your predictions for a strong base"))
    expect(region).to_be_visible()
    expect(region).not_to_have_attribute("tabindex", "0")  # it fits: no tab stop needed
    # At 680-780 px the widget is just over 40rem: a table, and the reveal's four columns
    # are wider than the widget.
    page.set_viewport_size({"width": 720, "height": 900})
    assert not is_card(page)
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), (
        "the table fits: choose a narrower width"
    )
    no_sideways_scroll(page)
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#matrix-0 .table-scroll').scrollLeft > 0")
    check_a11y(page)


# A plausible dark theme: base.css's tokens redefined and nothing else, as the site's dark
# theme does. The widget's own colours are mixed from these, so they must follow.
DARK_TOKENS = """:root {
  --ink: #e6e9ee; --muted: #aab4bf; --paper: #14171b; --tint: #1d2228; --line: #3b444f;
  --brand: #7cc0ee; --brand-dark: #a9d6f5; --focus: #fb923c; --ok: #6fd39a; --ok-tint: #14291d;
  --warn: #f0b35a; --warn-tint: #2e2312; --bad: #f28b93; --bad-tint: #33161a;
}"""


@pytest.mark.parametrize("view", ["", "?view=compare", "?base=strong"])
def test_the_widget_keeps_its_contrast_under_a_dark_theme_of_tokens(
    browser, live_server, matrix, view
):
    # The policy forbids the test's own <style>; this context alone may add one.
    context = browser.new_context(bypass_csp=True, color_scheme="dark", viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/matrix/base-strength/{view}")
        page.add_style_tag(content=DARK_TOKENS)
        for summary in page.locator("#matrix-0 summary").all():
            summary.click()  # the explanations too
        winner = page.locator("#matrix-0 .matrix-winner").first
        assert winner.evaluate("e => getComputedStyle(e).color") != "rgb(91, 42, 134)"
        axe = Axe()
        for region in ("#matrix-0", "#matrix-0-advisor"):
            found = axe.run(page, context=region, options={"runOnly": ["color-contrast"]})
            failures = [
                (v["id"], [node["target"] for node in v["nodes"]][:4])
                for v in found.response["violations"]
            ]
            assert failures == [], f"{region} {view}: {failures}"
    finally:
        context.close()
