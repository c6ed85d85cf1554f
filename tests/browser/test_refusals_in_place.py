"""A refused form swaps in place with htmx, as under ``make run`` (DEBUG on), at both widths.

Issue 19: a rejected prediction (a 400) made django-htmx's debug script replace the whole
document with the form's fragment, so the header, the lesson and the styles vanished. Each
test turns DEBUG on, as ``make run`` does (that script is only on the page then), sends a
refused form with JavaScript on, and checks that the page kept its header, that the message
shows next to the form and is announced (focus or a live region), and that nothing was saved.
Without JavaScript the same refusal is a whole page with a 400.
"""

import re

import pytest
from playwright.sync_api import expect

from core.content_files import LoadStats
from courses.models import Course
from matrix.content import load_matrix
from matrix.content_reading import read_matrix_file
from matrix.models import MatrixPrediction
from practice.models import BlockAnswer
from quizzes.models import Attempt, Quiz
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.browser.test_matrix_journey import SHIPPED, STRONG_ANSWERS, TRACKS, fill_predictions
from tests.factories import add_question, make_block, make_course, make_lesson

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def make_run(settings):
    """DEBUG on, as under ``make run``: django-htmx adds its debug script to every page."""
    settings.DEBUG = True


@pytest.fixture
def predict_lesson(transactional_db):
    course = make_course(slug="predict-track", title="Predict track")
    make_block(course=course, slug="what-happens", title="What happens next?", kind="predict",
               answer_kind="text")  # fmt: skip
    return make_lesson(
        course=course, slug="guess", title="Guess first", order=1,
        body="## Before\n\nRead this.\n\n[[predict:what-happens]]\n\n## After\n\nDone.",
    )  # fmt: skip


@pytest.fixture
def matrix(transactional_db):
    for order, (slug, title) in enumerate(TRACKS.items(), start=1):
        Course.objects.create(slug=slug, title=title, summary=title, is_published=True, order=order)
    return load_matrix(read_matrix_file(SHIPPED), path=SHIPPED, stats=LoadStats())


@pytest.fixture
def quiz(transactional_db):
    course = make_course(slug="quiz-track", title="Quiz track")
    quiz = Quiz.objects.create(
        course=course, slug="check-basics", title="Check the basics", is_published=True,
        max_attempts=3, shuffle=False,
    )  # fmt: skip
    for number, kind in enumerate(["single", "multiple", "true_false"], start=1):
        add_question(quiz=quiz, kind=kind, number=number)
    return quiz


def expect_page_kept(page):
    """The document is still the page: its header, its stylesheet, the marker set before."""
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("link[rel=stylesheet][href*='base.css']")).to_have_count(1)
    assert page.evaluate("window.__kept") == "yes"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def only_refusal_errors(page_errors):
    # The browser logs the refused request's 4xx itself; nothing else may be in the console.
    assert all(re.search(r"\b4\d\d\b", error) for error in page_errors), page_errors
    page_errors.clear()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_empty_prediction_is_refused_in_place_with_javascript(
    page, page_errors, live_server, make_run, predict_lesson, learner, login, check_a11y, snap,
    width,
):  # fmt: skip
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(live_server.url + predict_lesson.get_absolute_url())
    page.evaluate("window.__kept = 'yes'")
    block = page.locator("#predict-what-happens")
    block.get_by_role("button", name="Reveal the outcome").click()

    feedback = page.locator("#predict-what-happens-feedback")
    expect(feedback).to_contain_text("Write your prediction")
    expect(feedback).to_be_focused()
    expect(feedback).to_have_attribute("aria-live", "polite")
    expect_page_kept(page)
    expect(page.get_by_role("heading", name="Guess first", level=1)).to_be_visible()
    only_refusal_errors(page_errors)
    no_sideways_scroll(page)
    check_a11y(page)
    snap(page, f"refused-{width}")
    assert not BlockAnswer.objects.exists()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_forged_matrix_prediction_is_refused_in_place_with_javascript(
    page, page_errors, live_server, make_run, matrix, learner, login, check_a11y, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(f"{live_server.url}/matrix/base-strength/?view=predict")
    page.evaluate("window.__kept = 'yes'")
    form = page.locator("#matrix-0 form.matrix-predict")
    fill_predictions(form, STRONG_ANSWERS)
    # A value no verdict has: what a stale or tampered form sends.
    form.locator("input[name='row-output-format']:checked").evaluate("e => e.value = 'maybe'")
    form.get_by_role("button", name="Reveal the strong base column").click()

    expect(page.locator("#matrix-0 .form-errors")).to_contain_text(
        "Your predictions were not saved"
    )
    expect(page.locator("#matrix-0 .form-errors")).to_have_attribute("role", "alert")
    expect(page.locator("#matrix-0 [aria-invalid='true']").first).to_be_attached()
    expect_page_kept(page)
    only_refusal_errors(page_errors)
    no_sideways_scroll(page)
    check_a11y(page)
    assert not MatrixPrediction.objects.exists()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_empty_quiz_submit_is_refused_in_place_with_javascript(
    page, page_errors, live_server, make_run, quiz, learner, login, check_a11y, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    page.evaluate("window.__kept = 'yes'")
    page.get_by_role("button", name="Submit answers").click()

    errors = page.locator("#quiz-errors")
    expect(errors).to_contain_text("Answer every question before submitting")
    expect(errors).to_be_focused()
    expect(errors).to_have_attribute("role", "alert")
    expect(page.locator("#quiz form.quiz-form")).to_be_visible()
    expect_page_kept(page)
    only_refusal_errors(page_errors)
    no_sideways_scroll(page)
    check_a11y(page)
    assert not Attempt.objects.filter(submitted_at__isnull=False).exists()


def test_without_javascript_a_refusal_is_a_whole_page_with_its_400(
    browser, live_server, make_run, quiz, learner, password
):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS["phone"])
    try:
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(learner.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Submit answers").click()
        assert posted.value.status == 400
        expect(page.locator("header.site-header")).to_be_visible()
        expect(page.locator("#quiz-errors")).to_contain_text("Answer every question")
        no_sideways_scroll(page)
    finally:
        context.close()
