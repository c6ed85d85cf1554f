"""The decision-matrix widget in a real browser: toggling, comparing, predicting, the advisor.

With JavaScript, htmx swaps only the widget (a marker set on ``window`` survives, so the page
was not reloaded); without JavaScript the same forms reload the page at the new state; the
base-strength toggle works from the keyboard alone; axe finds no serious or critical
violations in any state.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.content_files import LoadStats
from courses.models import Course
from matrix.content import load_matrix
from matrix.content_reading import read_matrix_file
from matrix.models import MatrixPrediction
from tests.browser.conftest import ACTION_TIMEOUT_MS

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "matrices" / "base-strength.toml"
TRACKS = {
    "clinical-documentation-ai": "Clinical documentation AI",
    "medical-imaging-ai": "Medical imaging AI",
    "ai-diagnostics": "AI diagnostics",
}
STRONG_ANSWERS = {
    "Domain coverage": "Marginal gain",
    "Output format": "Prompting works",
    "Regulatory audit": "Fine-tune wins",
    "Reasoning breadth": "Generalist wins",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def matrix(transactional_db):
    for order, (slug, title) in enumerate(TRACKS.items(), start=1):
        Course.objects.create(slug=slug, title=title, summary=title, is_published=True, order=order)
    return load_matrix(read_matrix_file(SHIPPED), path=SHIPPED, stats=LoadStats())


def widget(page):
    return page.locator("#matrix-0")


def mark_window(page):
    page.evaluate("window.__stillHere = 'yes'")


def still_same_page(page) -> bool:
    return page.evaluate("window.__stillHere") == "yes"


def test_toggle_with_javascript_swaps_only_the_widget(page, live_server, matrix, check_a11y, snap):
    page.goto(f"{live_server.url}/matrix/base-strength/")
    expect(widget(page).get_by_role("table")).to_contain_text("Fine-tune wins")
    expect(page.locator(".matrix-apply").first).to_be_hidden()  # JS hides the redundant button
    check_a11y(page)
    snap(page, "weak")
    mark_window(page)

    page.get_by_text("Strong base", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?base=strong$"))
    table = widget(page).get_by_role("table")
    expect(table).to_contain_text("Generalist wins")
    expect(table).to_contain_text("Prompting works")
    expect(widget(page).locator(".matrix-summary")).to_have_text(
        "With a strong base the generalist wins or matches on 3 of 4 conditions; "
        "fine-tuning still wins on regulatory audit."
    )
    expect(page.locator("#matrix-0-status")).to_contain_text("3 of 4 conditions")
    assert still_same_page(page), "the page reloaded instead of swapping the widget"
    check_a11y(page)
    snap(page, "strong")

    page.get_by_role("link", name="Compare all").click()
    expect(page).to_have_url(re.compile(r"view=compare"))
    compare = widget(page).get_by_role("table")
    expect(compare.get_by_role("columnheader", name="Weak base")).to_be_visible()
    expect(compare.get_by_role("columnheader", name="Strong base")).to_be_visible()
    assert still_same_page(page)
    check_a11y(page)
    snap(page, "compare")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?base=strong$"))
    expect(widget(page).get_by_role("table")).to_contain_text("Generalist wins")


def test_state_in_the_url_survives_a_reload(page, live_server, matrix):
    page.goto(f"{live_server.url}/matrix/base-strength/")
    page.get_by_text("Strong base", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?base=strong$"))
    page.reload()
    expect(page.get_by_role("radio", name="Strong base")).to_be_checked()
    expect(widget(page).get_by_role("table")).to_contain_text("Generalist wins")


def test_keyboard_alone_can_toggle_the_base(page, live_server, matrix, snap):
    page.goto(f"{live_server.url}/matrix/base-strength/")
    mark_window(page)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "matrix-0-base-weak":
            break
    else:
        pytest.fail("Tab never reached the base-strength radio group")
    snap(page, "focus-on-toggle")

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"\?base=strong$"))
    expect(widget(page).get_by_role("table")).to_contain_text("Generalist wins")
    # htmx put focus back on the radio with the same id, so the arrows keep working.
    expect(page.locator("#matrix-0-base-strong")).to_be_focused()
    # A person reads the new column before moving on: let the swap settle.
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")

    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"\?base=weak$"))
    expect(widget(page).get_by_role("table")).to_contain_text("No difference")
    expect(page.locator("#matrix-0-base-weak")).to_be_focused()
    assert still_same_page(page)


def test_quick_toggles_end_on_the_last_choice(page, live_server, matrix):
    page.goto(f"{live_server.url}/matrix/base-strength/")
    page.locator("#matrix-0-base-weak").focus()
    # The first toggle's request is held until every key is pressed, so the later choices are
    # made while it is in flight, however fast the server answers (a key pressed while the
    # focused radio is being swapped reaches no radio at all: that is not this test's case).
    held, released = [], []

    def hold_until_released(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/matrix/base-strength/\?base="), hold_until_released)
    for key in ("ArrowRight", "ArrowLeft", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)  # the last choice is queued behind the request in flight
    for _ in range(200):  # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "one request in flight, the later choices queued behind it"
    released.append(True)
    held[0].continue_()  # answers "strong"; the swap drops the queued "weak": made again
    expect(page).to_have_url(re.compile(r"\?base=weak$"))
    expect(widget(page).get_by_role("table")).to_contain_text("No difference")
    expect(page.locator("#matrix-0-base-weak")).to_be_checked()


def fill_predictions(form, answers):
    for condition, answer in answers.items():
        choices = form.get_by_role("group", name=condition).locator(".matrix-choices")
        choices.get_by_text(answer, exact=True).click()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_predict_then_reveal_with_javascript(
    page, live_server, matrix, learner, login, check_a11y, snap, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, learner)
    page.goto(f"{live_server.url}/matrix/base-strength/")
    mark_window(page)
    page.get_by_role("link", name="Predict first").click()
    expect(page).to_have_url(re.compile(r"view=predict"))
    form = widget(page).locator("form.matrix-predict")
    expect(form).to_be_visible()
    # The hidden column's answers are not in the page before the learner commits: its
    # verdicts are offered at every condition alike, and no explanation is shown.
    expect(widget(page).locator(".matrix-why")).to_have_count(0)
    expect(form.get_by_role("group", name="Domain coverage").get_by_role("radio")).to_have_count(5)
    check_a11y(page)

    answers = dict(STRONG_ANSWERS, **{"Output format": "Fine-tune wins"})  # one wrong on purpose
    fill_predictions(form, answers)
    form.get_by_role("group", name=re.compile("How sure are you")).get_by_text("Sure", exact=True).click()
    snap(page, "predict-filled")
    form.get_by_role("button", name="Reveal the strong base column").click()

    expect(widget(page)).to_contain_text("You predicted 3 of 4 right")
    expect(widget(page)).to_contain_text("1 you were sure of was wrong")
    expect(page).to_have_url(re.compile(r"reveal="))
    reveal = widget(page).get_by_role("table")
    output = reveal.get_by_role("row", name=re.compile("Output format"))
    expect(output.locator(".matrix-result")).to_have_text(re.compile("Wrong"))
    expect(output.locator(".matrix-predicted")).to_have_text("Fine-tune wins")
    expect(output.locator(".matrix-verdict")).to_have_text("Prompting works")
    expect(output).to_contain_text("Sure, but wrong")
    regulatory = reveal.get_by_role("row", name=re.compile("Regulatory audit"))
    expect(regulatory.locator(".matrix-result")).to_have_text(re.compile("Right"))
    expect(regulatory).not_to_contain_text("Sure, but wrong")
    expect(page.locator("#matrix-0-status")).to_contain_text("1 you were sure of was wrong")
    expect(page.locator("#matrix-0-focus")).to_be_focused()
    assert still_same_page(page)
    check_a11y(page)
    snap(page, "revealed")

    widget(page).get_by_role("link", name="Predict again").click()
    fill_predictions(form, STRONG_ANSWERS)
    form.get_by_role("button", name="Reveal the strong base column").click()
    expect(widget(page)).to_contain_text("You predicted 4 of 4 right")
    expect(widget(page).locator(".matrix-accuracy-list")).to_contain_text("Output format: 1 of 2 right")
    expect(widget(page).locator(".matrix-accuracy-list")).to_contain_text("Regulatory audit: 2 of 2 right")
    tries = widget(page).locator(".matrix-tries-list li")
    expect(tries).to_have_count(2)
    expect(tries.nth(1)).to_contain_text("First predictions: count for your team")
    check_a11y(page)
    snap(page, "second-try")
    assert MatrixPrediction.objects.filter(user=learner, is_first=True).count() == 4
    assert MatrixPrediction.objects.filter(user=learner).count() == 8
    assert set(MatrixPrediction.objects.filter(user=learner, is_first=True).values_list("confidence", flat=True)) == {"sure"}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_compare_waits_until_the_learner_has_predicted(
    page, live_server, matrix, learner, login, check_a11y, snap, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, learner)
    page.goto(f"{live_server.url}/matrix/base-strength/?base=strong&view=predict")
    mark_window(page)
    widget(page).get_by_role("link", name="Compare all").click()
    expect(page).to_have_url(re.compile(r"view=compare"))
    callout = widget(page).locator(".matrix-withheld")
    expect(callout).to_contain_text("Predict first, then compare.")
    compare = widget(page).locator("table.matrix-compare")
    expect(compare.get_by_role("columnheader", name="Weak base")).to_be_visible()
    expect(compare.get_by_role("columnheader", name="Strong base")).to_have_count(0)
    expect(widget(page)).not_to_contain_text("Generalist wins")
    check_a11y(page)
    snap(page, "compare-before")

    callout.get_by_role("link", name="Predict a strong base").click()
    form = widget(page).locator("form.matrix-predict")
    fill_predictions(form, STRONG_ANSWERS)
    form.get_by_role("button", name="Reveal the strong base column").click()
    expect(widget(page)).to_contain_text("You predicted 4 of 4 right")
    widget(page).get_by_role("link", name="Compare all columns").click()
    expect(compare.get_by_role("columnheader", name="Strong base")).to_be_visible()
    expect(compare).to_contain_text("Generalist wins")
    expect(widget(page).locator(".matrix-withheld")).to_have_count(0)
    assert still_same_page(page)
    check_a11y(page)
    snap(page, "compare-after")


def test_anonymous_visitor_is_offered_log_in_to_predict(page, live_server, matrix, check_a11y):
    page.goto(f"{live_server.url}/matrix/base-strength/?view=predict")
    callout = widget(page).locator(".matrix-callout")
    expect(callout).to_contain_text("Predict first, then reveal.")
    expect(widget(page).locator("form.matrix-predict")).to_have_count(0)
    check_a11y(page)
    callout.get_by_role("link", name="Log in to predict").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_advisor_presets_and_answers_update_the_advice(page, live_server, matrix, check_a11y, snap):
    page.goto(f"{live_server.url}/matrix/base-strength/")
    mark_window(page)
    advisor = page.locator("#matrix-0-advisor")
    expect(advisor.locator(".matrix-advice-headline")).to_have_text("Prompt a strong general model")

    advisor.get_by_role("button", name="Medical imaging").click()
    expect(advisor.locator(".matrix-advice-headline")).to_have_text("Use a specialised perception model")
    expect(advisor).to_contain_text("the generalist-versus-specialist matrix does not decide this case")
    expect(advisor.get_by_label(re.compile("The problem is perception"))).to_be_checked()
    expect(page).to_have_url(re.compile(r"preset=medical-imaging"))
    check_a11y(page)
    snap(page, "imaging-preset")

    advisor.get_by_role("button", name="Clinical documentation").click()
    expect(advisor.locator(".matrix-advice-headline")).to_have_text("Fine-tune")
    drivers = advisor.locator(".matrix-drivers")
    expect(drivers).to_contain_text("constrained format")
    expect(drivers).to_contain_text("smaller or auditable")

    advisor.get_by_label(re.compile("Outputs must follow")).uncheck()
    advisor.get_by_label(re.compile("smaller or auditable")).uncheck()
    expect(advisor.locator(".matrix-advice-headline")).to_have_text("Prompt a strong general model")
    expect(page).not_to_have_url(re.compile(r"preset="))
    assert still_same_page(page)
    # The matrix beside it kept its own state.
    expect(widget(page).get_by_role("radio", name="Weak base")).to_be_checked()
    check_a11y(page)
    snap(page, "advisor-answers")


def test_without_javascript_the_toggle_and_predict_forms_still_work(
    browser, live_server, matrix, learner, password, snap
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/matrix/base-strength/")
        show = page.get_by_role("button", name="Show this column")
        expect(show).to_be_visible()
        page.get_by_text("Strong base", exact=True).click()
        show.click()
        expect(page).to_have_url(re.compile(r"\?base=strong$"))
        expect(widget(page).get_by_role("table")).to_contain_text("Generalist wins")
        snap(page, "no-js-strong")

        advisor = page.locator("#matrix-0-advisor")
        advisor.get_by_role("button", name="Medical imaging").click()
        expect(page).to_have_url(re.compile(r"base=strong&preset=medical-imaging"))
        expect(advisor.locator(".matrix-advice-headline")).to_have_text(
            "Use a specialised perception model"
        )
        expect(widget(page).get_by_role("radio", name="Strong base")).to_be_checked()

        page.goto(f"{live_server.url}/accounts/login/?next=/matrix/base-strength/%3Fview%3Dpredict")
        page.get_by_label("Username").fill(learner.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        form = widget(page).locator("form.matrix-predict")
        expect(form).to_be_visible()
        page.goto(f"{live_server.url}/matrix/base-strength/?view=compare")
        expect(widget(page).locator(".matrix-withheld")).to_contain_text("Predict first, then compare.")
        expect(widget(page).get_by_role("columnheader", name="Strong base")).to_have_count(0)
        widget(page).locator(".matrix-withheld").get_by_role("link", name="Predict a strong base").click()
        fill_predictions(form, STRONG_ANSWERS)
        form.get_by_role("group", name=re.compile("How sure are you")).get_by_text("Think so", exact=True).click()
        form.get_by_role("button", name="Reveal the strong base column").click()
        expect(page).to_have_url(re.compile(r"reveal=.*#matrix-0$"))
        expect(widget(page)).to_contain_text("You predicted 4 of 4 right")
        expect(widget(page).locator(".matrix-accuracy-list")).to_contain_text("Domain coverage: 1 of 1 right")
        snap(page, "no-js-revealed")
        widget(page).get_by_role("link", name="Compare all columns").click()
        expect(widget(page).get_by_role("columnheader", name="Strong base")).to_be_visible()
    finally:
        context.close()
    assert MatrixPrediction.objects.filter(user=learner, is_correct=True).count() == 4
    assert set(MatrixPrediction.objects.filter(user=learner).values_list("confidence", flat=True)) == {"think_so"}


@pytest.fixture
def lesson_with_two_matrices(matrix):
    from lessons.models import Lesson

    course = Course.objects.get(slug="ai-diagnostics")
    return Lesson.objects.create(
        course=course,
        slug="two-matrices",
        title="Two matrices on one page",
        order=1,
        status="published",
        body=(
            "## First look\n\nToggle the first matrix.\n\n[[matrix:base-strength]]\n\n"
            "## Second look\n\nThe same matrix again, on its own state.\n\n[[matrix:base-strength]]\n"
        ),
    )


def test_two_widgets_in_one_lesson_work_independently(
    page, live_server, lesson_with_two_matrices, check_a11y, snap
):
    url = f"{live_server.url}{lesson_with_two_matrices.get_absolute_url()}"
    page.goto(url)
    first, second = page.locator("#matrix-0"), page.locator("#matrix-1")
    expect(first.get_by_role("table")).to_contain_text("Fine-tune wins")
    check_a11y(page)
    mark_window(page)

    second.get_by_text("Strong base", exact=True).click()
    expect(second.get_by_role("table")).to_contain_text("Generalist wins")
    expect(page).to_have_url(re.compile(r"\?m1-base=strong$"))
    expect(first.get_by_role("table")).not_to_contain_text("Generalist wins")

    first.get_by_role("link", name="Compare all").click()
    expect(page).to_have_url(re.compile(r"\?m1-base=strong&view=compare$"))
    expect(first.get_by_role("columnheader", name="Strong base")).to_be_visible()
    expect(second.get_by_role("radio", name="Strong base")).to_be_checked()

    page.locator("#matrix-1-advisor").get_by_role("button", name="Medical imaging").click()
    expect(page).to_have_url(re.compile(r"m1-preset=medical-imaging"))
    expect(page.locator("#matrix-0-advisor .matrix-advice-headline")).to_have_text(
        "Prompt a strong general model"
    )
    assert still_same_page(page)
    check_a11y(page)
    snap(page, "lesson")

    page.reload()
    expect(first.get_by_role("columnheader", name="Strong base")).to_be_visible()
    expect(second.get_by_role("radio", name="Strong base")).to_be_checked()
    expect(page.locator("#matrix-1-advisor .matrix-advice-headline")).to_have_text(
        "Use a specialised perception model"
    )


def test_two_widgets_in_one_lesson_without_javascript(browser, live_server, lesson_with_two_matrices):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{lesson_with_two_matrices.get_absolute_url()}?view=compare")
        second = page.locator("#matrix-1")
        second.get_by_text("Strong base", exact=True).click()
        second.get_by_role("button", name="Show this column").click()
        expect(page).to_have_url(re.compile(r"/two-matrices/\?view=compare&m1-base=strong$"))
        expect(second.get_by_role("table")).to_contain_text("Generalist wins")
        expect(page.locator("#matrix-0").get_by_role("columnheader", name="Strong base")).to_be_visible()
    finally:
        context.close()


def test_an_instructor_edits_cells_in_the_grid_and_previews(
    page, live_server, matrix, make_user, login, check_a11y, snap
):
    author = make_user("author", is_staff=True, is_superuser=True)
    login(page, author)
    page.goto(f"{live_server.url}/admin/matrix/decisionmatrix/{matrix.pk}/change/")
    expect(page.get_by_text("Yes: every row × column has its cell.")).to_be_visible()
    page.get_by_role("link", name="Edit cells as a grid").click()
    expect(page.locator("table.matrix-cell-grid")).to_contain_text("Regulatory audit")
    check_a11y(page)
    verdict = page.get_by_label("Verdict: Output format, Strong base")
    expect(verdict).to_have_value("Prompting works")
    verdict.fill("Prompting is enough")
    page.get_by_label("Who wins: Output format, Strong base").select_option("no_difference")
    snap(page, "grid")
    page.get_by_role("button", name="Save and keep editing").click()
    expect(page.get_by_text("Saved the cells of")).to_be_visible()
    expect(page.get_by_label("Verdict: Output format, Strong base")).to_have_value("Prompting is enough")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview as learner").first.click()
    preview = popup.value
    preview.goto(preview.url + "?base=strong")
    expect(preview.locator("#matrix-0").get_by_role("table")).to_contain_text("Prompting is enough")
    expect(preview.locator("#matrix-0 .matrix-summary")).to_have_text(
        "With a strong base the generalist wins or matches on 3 of 4 conditions; "
        "fine-tuning still wins on regulatory audit."
    )
