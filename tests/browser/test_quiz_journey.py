"""Taking a quiz in a real browser, with JavaScript and without, ending in the same result.

With JavaScript, htmx posts the answers and swaps the graded result into the page (a marker
set on ``window`` survives, so the page was not reloaded) and pushes the attempt's address;
without JavaScript the same form posts and redirects to the attempt's page. axe finds no
serious or critical violations on the quiz, its error state and the result (with JavaScript
on, since axe itself is a script).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from courses.models import Course
from quizzes.models import Attempt, Quiz
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import add_question

# Right for questions 1 and 3; only half of the right set for question 2, so 2 of 3 (66%).
ANSWERS = [
    "Use the frontier generalist (1.2)",
    "Format compliance (2.1)",
    "True (3.1)",
]


@pytest.fixture
def quiz(transactional_db):
    course = Course.objects.create(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance.", order=1, is_published=True,
    )  # fmt: skip
    quiz = Quiz.objects.create(
        course=course, slug="check-basics", title="Check the basics", is_published=True,
        description="Three questions. You need **70%** to pass.", max_attempts=3, shuffle=False,
    )  # fmt: skip
    for number, kind in enumerate(["single", "multiple", "true_false"], start=1):
        add_question(quiz=quiz, kind=kind, number=number)
    return quiz


def answer(page):
    for label in ANSWERS:
        page.get_by_label(label).check()


def expect_graded_result(page):
    result = page.locator("#result")
    expect(result.get_by_role("heading", name="Your result")).to_be_visible()
    expect(result.locator(".result-score")).to_contain_text("2 of 3 right (66%)")
    expect(result.locator(".result-verdict")).to_contain_text("Not passed")
    expect(result.locator("#review-2")).to_contain_text("Wrong")
    expect(result.locator("#review-2")).to_contain_text("FEEDBACK-2.1")
    expect(result.locator("#review-2")).to_contain_text("EXPLANATION-2")
    expect(result.locator("#review-1")).to_contain_text("Right")
    expect(result.get_by_role("link", name="Try again")).to_be_visible()
    expect(result.get_by_role("table")).to_contain_text("2 of 3 (66%)")
    expect(result.locator(".result-certainty")).to_contain_text("Certainty-based score:")


def test_take_a_quiz_with_javascript_the_result_swaps_in(
    page, page_errors, live_server, quiz, learner, login, check_a11y, snap
):
    login(page, learner)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the basics")
    expect(page.locator("fieldset.question")).to_have_count(3)
    expect(page.locator("fieldset.confidence")).to_have_count(3)
    check_a11y(page)
    snap(page, "quiz")

    page.evaluate("window.__quizMarker = 'still here'")
    page.get_by_label(ANSWERS[0]).check()
    page.get_by_role("button", name="Submit answers").click()
    errors = page.locator("#quiz-errors")
    expect(errors).to_contain_text("Answer every question before submitting")
    expect(errors).to_be_focused()
    expect(page.get_by_label(ANSWERS[0])).to_be_checked()
    # The browser logs the refusal's 422 itself (core.refusals); nothing else may be there.
    assert all("422" in error for error in page_errors), page_errors
    page_errors.clear()
    expect(page.locator("#question-2-error")).to_have_text(
        "Choose at least one answer to this question."
    )
    assert page.evaluate("window.__quizMarker") == "still here"
    check_a11y(page)
    snap(page, "unanswered")

    answer(page)
    # Sure of question 2, which is wrong: the result flags it and weighs it in the certainty score.
    page.locator("#question-2-confidence").get_by_label("Sure").check()
    page.get_by_role("button", name="Submit answers").click()
    expect_graded_result(page)
    expect(page.locator("#result")).to_be_focused()
    expect(page.locator("#review-2")).to_contain_text("You were sure, and this was wrong.")
    # Right and unrated 1, wrong and sure -6, right and unrated 1: below zero, so 0%.
    expect(page.locator(".result-certainty")).to_have_text("Certainty-based score: 0% · 1 sure but wrong")
    assert page.evaluate("window.__quizMarker") == "still here", "the page was reloaded"
    attempt = Attempt.objects.get(user=learner)
    expect(page).to_have_url(f"{live_server.url}/quizzes/{quiz.slug}/attempts/{attempt.pk}/")
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (2, 3, 66, False)
    check_a11y(page)
    snap(page, "result")

    # The pushed address is a real page: reloading it shows the same result.
    page.reload()
    expect_graded_result(page)
    check_a11y(page)


def test_take_a_quiz_without_javascript_the_form_posts_and_redirects(
    browser, live_server, quiz, learner, login, snap
):
    # axe runs as page script, which this context forbids; the same pages are checked with
    # JavaScript on in the test above (the result page after a full reload included).
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/quizzes/check-basics/$"))
        login(page, learner)
        page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")

        page.get_by_label(ANSWERS[0]).check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("#quiz-errors")).to_contain_text("Still to answer")
        expect(page.get_by_label(ANSWERS[0])).to_be_checked()
        snap(page, "unanswered-no-js")

        answer(page)
        page.get_by_role("button", name="Submit answers").click()
        attempt = Attempt.objects.get(user=learner)
        expect(page).to_have_url(f"{live_server.url}/quizzes/{quiz.slug}/attempts/{attempt.pk}/")
        expect_graded_result(page)
        assert (attempt.score, attempt.percent, attempt.passed) == (2, 66, False)
        snap(page, "result-no-js")

        page.get_by_role("link", name="Try again").click()
        expect(page.locator("fieldset.question")).to_have_count(3)
        expect(page.get_by_label(ANSWERS[0])).not_to_be_checked()
        assert Attempt.objects.filter(user=learner).count() == 2
    finally:
        context.close()


def test_a_refused_submission_explains_itself_in_place(
    page, page_errors, live_server, quiz, learner, login, check_a11y
):
    login(page, learner)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    answer(page)
    page.evaluate("document.querySelector('input[name=attempt]').value = '999999'")
    page.evaluate("window.__quizMarker = 'still here'")
    page.get_by_role("button", name="Submit answers").click()
    problem = page.locator("#quiz-problem")
    expect(problem).to_contain_text("We could not accept those answers")
    expect(problem).to_contain_text("not one of yours")
    expect(problem).to_be_focused()
    assert page.evaluate("window.__quizMarker") == "still here"
    # The browser reports the 422 response itself; that is the point of this test.
    assert all("422" in error for error in page_errors), page_errors
    page_errors.clear()
    check_a11y(page)
    assert not Attempt.objects.filter(submitted_at__isnull=False).exists()


def test_staff_preview_a_draft_quiz_as_a_learner(
    page, live_server, quiz, make_user, login, check_a11y, snap
):
    quiz.is_published = False
    quiz.save()
    instructor = make_user("ines", is_staff=True)
    instructor.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    login(page, instructor)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    expect(page).to_have_url(f"{live_server.url}/quizzes/{quiz.slug}/preview/")
    expect(page.get_by_role("note", name="Preview")).to_contain_text("Preview as learner")
    check_a11y(page)
    answer(page)
    page.get_by_role("button", name="Check answers (not saved)").click()
    expect(page.get_by_role("heading", name="Preview result (not saved)")).to_be_visible()
    expect(page.locator(".result-score")).to_contain_text("2 of 3 right (66%)")
    check_a11y(page)
    snap(page, "preview-result")
    assert not Attempt.objects.exists()
