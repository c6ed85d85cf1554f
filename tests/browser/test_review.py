"""The review queue in a real browser: answering a quiz makes cards, /review/ asks them one at
a time with feedback on every choice, with JavaScript (htmx swaps the region and the header's
count, focus lands on the feedback) and without (each form posts and redirects), at a desktop
and a phone width; axe finds nothing serious; snoozing all empties the queue."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from review.models import Card, ReviewLog
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import make_course, make_quiz, submit_attempt

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def due_cards(transactional_db, learner):
    """Two quiz questions answered (so two cards, made by the real receiver), now due."""
    quiz = make_quiz(course=make_course(slug="review-track", title="Review track"),
                     kinds=("single", "true_false"))  # fmt: skip
    submit_attempt(user=learner, quiz=quiz, picks=["Fine-tune a small model", "True"])
    assert Card.objects.filter(user=learner).count() == 2
    Card.objects.update(due=timezone.now() - datetime.timedelta(days=1))
    return quiz


def answer_first_right_choice(page):
    card = page.locator(".review-card")
    prompt = card.locator(".practice-prompt").inner_text()
    right = "Use the frontier generalist" if "single" in prompt else "True ("
    card.get_by_label(right).check()
    card.locator("fieldset.practice-confidence").get_by_label("Sure", exact=True).check()
    card.get_by_role("button", name="Check my answer").click()


def run_review(page, check=lambda page: None):
    expect(page.locator(".review-card")).to_have_count(1)
    expect(page.locator("#review-link .review-count")).to_contain_text("2")
    check(page)
    answer_first_right_choice(page)
    feedback = page.locator(".review-feedback")
    expect(feedback).to_contain_text("Right")
    expect(feedback.locator(".practice-result")).not_to_have_count(0)
    expect(page.locator("#review-link .review-count")).to_contain_text("1")
    check(page)
    page.get_by_role("button", name="Snooze all due cards for a day").click()
    expect(page.locator(".review-empty")).to_contain_text("Nothing due.")
    expect(page.locator("#review-link .review-count")).to_have_count(0)
    check(page)


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_review_with_javascript_swaps_in_place(
    page, live_server, due_cards, learner, login, check_a11y, snap, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(f"{live_server.url}/review/")
    page.evaluate("window.__reviewMarker = 'still here'")

    def check(page):
        check_a11y(page)
        assert page.evaluate("window.__reviewMarker") == "still here", "the page was reloaded"

    run_review(page, check)
    assert ReviewLog.objects.filter(source="review").count() == 1
    snap(page, f"review-{width}")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_review_without_javascript_posts_and_redirects(
    browser, live_server, due_cards, learner, login, snap, width
):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        login(page, learner)
        page.goto(f"{live_server.url}/review/")
        run_review(page)
        assert ReviewLog.objects.filter(source="review").count() == 1
        snap(page, f"review-no-js-{width}")
    finally:
        context.close()
