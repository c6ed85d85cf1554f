"""Practice mode in a real browser: one question at a time, feedback after each, with
JavaScript (htmx swaps the feedback in, the page is not reloaded) and without (each answer
posts and redirects back), at a desktop and a phone width; axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from courses.models import Course
from quizzes.models import Attempt, Quiz, Response
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import add_question

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
RIGHT = {"single": ["Use the frontier generalist"], "multiple": ["Format compliance", "Regulatory traceability"],
         "true_false": ["True"]}  # fmt: skip


@pytest.fixture
def practice(transactional_db):
    course = Course.objects.create(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance.", order=1, is_published=True,
    )  # fmt: skip
    quiz = Quiz.objects.create(
        course=course, slug="practise-basics", title="Practise the basics", is_published=True,
        mode=Quiz.Mode.PRACTICE, shuffle=True,
    )  # fmt: skip
    for number, kind in enumerate(["single", "multiple", "true_false"], start=1):
        add_question(quiz=quiz, kind=kind, number=number)
    return quiz


def answer_shown_question(page, *, right, confidence):
    """Answer the one question on the page (whatever the shuffle put first)."""
    prompt = page.locator("fieldset.question .question-prompt").inner_text()
    kind = next(kind for kind in RIGHT if kind in prompt)
    labels = page.locator("fieldset.question .choice label")
    texts = [labels.nth(i).inner_text() for i in range(labels.count())]
    wanted = [t for t in texts if any(t.startswith(r) for r in RIGHT[kind])]
    if not right:
        wanted = [next(t for t in texts if t not in wanted)]
    for text in wanted:
        page.get_by_label(text, exact=True).check()
    page.locator("fieldset.confidence").get_by_label(confidence, exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    return kind


def run_practice(page, practice, *, check=lambda page: None):
    """Answer the three questions (the first wrong, all "Sure") and finish; check each step."""
    expect(page.locator("fieldset.question")).to_have_count(1)
    expect(page.locator(".practice-progress")).to_have_text("Answered 0 of 3.")
    check(page)
    for number, right in enumerate([False, True, True], start=1):
        answer_shown_question(page, right=right, confidence="Sure")
        feedback = page.locator("#practice-feedback")
        expect(feedback).to_contain_text(f"Question {number}: {'Right' if right else 'Not right'}")
        expect(feedback).to_contain_text("Why")
        if not right:
            expect(feedback).to_contain_text("You were sure, and this was wrong.")
        expect(page.locator(".practice-progress")).to_have_text(f"Answered {number} of 3.")
        check(page)
    page.get_by_role("button", name="See your result").click()
    result = page.locator("#result")
    expect(result.locator(".result-score")).to_contain_text("2 of 3 right (66%)")
    # Right and sure twice (3 + 3), wrong and sure once (-6): 0 of 9.
    expect(result.locator(".result-certainty")).to_have_text(
        "Certainty-based score: 0% · 1 sure but wrong"
    )
    check(page)


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_practice_with_javascript_swaps_the_feedback_in(
    page, live_server, practice, learner, login, check_a11y, snap, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(f"{live_server.url}/quizzes/{practice.slug}/")
    page.evaluate("window.__quizMarker = 'still here'")

    def check(page):
        check_a11y(page)
        assert page.evaluate("window.__quizMarker") == "still here", "the page was reloaded"

    answer_shown_question(page, right=True, confidence="Think so")
    expect(page.locator("#practice-feedback")).to_be_focused()
    expect(page.locator("#practice-feedback")).to_have_attribute("aria-live", "polite")
    check(page)
    snap(page, f"practice-feedback-{width}")
    # Start over on a fresh attempt for the full run: the first one is left open.
    Attempt.objects.filter(user=learner).delete()
    page.goto(f"{live_server.url}/quizzes/{practice.slug}/")
    page.evaluate("window.__quizMarker = 'still here'")
    run_practice(page, practice, check=check)
    attempt = Attempt.objects.get(user=learner)
    assert attempt.is_submitted and (attempt.score, attempt.total) == (2, 3)
    confidences = Response.objects.filter(attempt=attempt).values_list("confidence", flat=True)
    assert list(confidences) == ["sure"] * 3
    expect(page).to_have_url(f"{live_server.url}/quizzes/{practice.slug}/attempts/{attempt.pk}/")
    snap(page, f"practice-result-{width}")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_practice_without_javascript_posts_and_redirects_each_step(
    browser, live_server, practice, learner, login, snap, width
):
    # axe runs as page script, which this context forbids; the same pages are checked with
    # JavaScript on in the test above.
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        login(page, learner)
        page.goto(f"{live_server.url}/quizzes/{practice.slug}/")
        run_practice(page, practice)
        attempt = Attempt.objects.get(user=learner)
        expect(page).to_have_url(
            f"{live_server.url}/quizzes/{practice.slug}/attempts/{attempt.pk}/"
        )
        assert (attempt.score, attempt.total) == (2, 3)
        snap(page, f"practice-result-no-js-{width}")
    finally:
        context.close()
