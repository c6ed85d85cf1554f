"""Inline checks and predict-then-reveal blocks in a real browser, with JavaScript and without,
at a desktop (1280 px) and a phone (390 px) width.

With JavaScript, htmx posts the answer and swaps the block for its feedback (a marker set on
``window`` survives, so the page was not reloaded) and focus lands on the feedback; "Try
again" swaps a fresh form in. Without JavaScript the same forms post and redirect back to the
lesson at the block's anchor, where the stored answer shows; a visitor gets a small page with
the feedback. The predict block's outcome is not on the page until the learner has predicted.
axe finds nothing serious with JavaScript on (axe is a script itself); console and CSP
errors fail every test (the ``page`` fixture).
"""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import LessonCompletion
from practice.models import BlockAnswer
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import make_block, make_course, make_lesson

PICKS = [("Prompt the general model", True), ("Fine-tune a small model", False),
         ("Train from scratch", False)]  # fmt: skip
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def lesson(transactional_db):
    course = make_course(slug="practice-track", title="Practice track")
    make_block(course=course, slug="which-route", title="Which route?", picks=PICKS)
    make_block(course=course, slug="what-happens", title="What happens next?", kind="predict",
               answer_kind="text")  # fmt: skip
    return make_lesson(
        course=course, slug="try-it", title="Try it", order=1,
        body="## Before\n\nRead this.\n\n[[check:which-route]]\n\n## Then\n\nMore.\n\n"
        "[[predict:what-happens]]\n\n## After\n\nDone.",
    )  # fmt: skip


def choose(block, text):
    block.get_by_label(text, exact=True).check()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_javascript_answer_wrong_then_right_and_predict_then_reveal(
    page, live_server, lesson, learner, login, check_a11y, snap, width
):
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(live_server.url + lesson.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    check = page.locator("#check-which-route")
    predict = page.locator("#predict-what-happens")
    expect(page.locator("#practice-tally")).to_contain_text("0 of 2 checks answered")
    expect(predict).not_to_contain_text("OUTCOME-what-happens")
    check_a11y(page)

    choose(check, "Fine-tune a small model")
    check.get_by_label("Sure", exact=True).check()
    check.get_by_role("button", name="Check my answer").click()
    check = page.locator("#check-which-route")
    expect(check).to_contain_text("Not quite")
    expect(check).to_contain_text("You were sure and wrong: worth a second look")
    expect(check).to_contain_text("FEEDBACK Prompt the general model")
    expect(page.locator("#check-which-route-feedback")).to_be_focused()
    expect(page.locator("#practice-tally")).to_contain_text("1 of 2 checks answered")
    snap(page, f"wrong-{width}")
    check_a11y(page)

    check.get_by_role("link", name=re.compile("Try again")).click()
    expect(check.get_by_label("Prompt the general model", exact=True)).not_to_be_checked()
    choose(check, "Prompt the general model")
    check.get_by_label("Think so", exact=True).check()
    check.get_by_role("button", name="Check my answer").click()
    expect(check.locator(".badge-ok")).to_have_text("Right")
    expect(check).not_to_contain_text("sure and wrong")

    predict.get_by_label("In your own words, what do you expect?").fill("The general model wins.")
    predict.get_by_label("Guessing", exact=True).check()
    predict.get_by_role("button", name="Reveal the outcome").click()
    expect(predict).to_contain_text("OUTCOME-what-happens")
    expect(predict.locator(".practice-yours")).to_contain_text("The general model wins.")
    expect(predict).to_contain_text("marked complete")
    expect(page.locator("#practice-tally")).to_contain_text("2 of 2 checks answered")
    assert page.evaluate("window.notReloaded") is True
    snap(page, f"revealed-{width}")
    check_a11y(page)

    answers = list(BlockAnswer.objects.filter(user=learner).order_by("id"))
    assert [(a.is_first, a.is_correct, a.confidence) for a in answers] == [
        (True, False, "sure"), (False, True, "think_so"), (True, None, "guessing"),
    ]  # fmt: skip
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


def test_keyboard_alone_answers_a_check(page, live_server, lesson, learner, login):
    login(page, learner)
    page.goto(live_server.url + lesson.get_absolute_url())
    check = page.locator("#check-which-route")
    check.get_by_label("Prompt the general model", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the confidence group
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the button
    expect(check.get_by_role("button", name="Check my answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(check.locator(".badge-ok")).to_have_text("Right")
    expect(page.locator("#check-which-route-feedback")).to_be_focused()
    assert BlockAnswer.objects.get(user=learner).confidence == "sure"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_without_javascript_forms_post_and_come_back_to_the_block(
    browser, live_server, lesson, learner, login, snap, width
):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    url = live_server.url + lesson.get_absolute_url()
    try:
        login(page, learner)
        page.goto(url)
        check = page.locator("#check-which-route")
        choose(check, "Train from scratch")
        check.get_by_label("Sure", exact=True).check()
        check.get_by_role("button", name="Check my answer").click()
        expect(page).to_have_url(url + "#check-which-route")
        expect(check).to_contain_text("You were sure and wrong")
        expect(check).to_contain_text("FEEDBACK Train from scratch")

        check.get_by_role("link", name=re.compile("Try again")).click()
        expect(page).to_have_url(re.compile(r"/practice/which-route/\?next="))
        choose(page.locator("#check-which-route"), "Prompt the general model")
        page.get_by_role("button", name="Check my answer").click()
        expect(page).to_have_url(url + "#check-which-route")
        expect(check.locator(".badge-ok")).to_have_text("Right")

        predict = page.locator("#predict-what-happens")
        expect(predict).not_to_contain_text("OUTCOME-what-happens")
        predict.get_by_label("In your own words, what do you expect?").fill("It depends.")
        predict.get_by_role("button", name="Reveal the outcome").click()
        expect(page).to_have_url(url + "#predict-what-happens")
        expect(predict).to_contain_text("OUTCOME-what-happens")
        expect(predict).to_contain_text("It depends.")
        snap(page, f"no-js-{width}")
        assert BlockAnswer.objects.filter(user=learner).count() == 3
    finally:
        context.close()


def test_a_visitor_without_javascript_sees_feedback_on_a_page_and_nothing_is_stored(
    browser, live_server, lesson
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page.goto(live_server.url + lesson.get_absolute_url())
        check = page.locator("#check-which-route")
        choose(check, "Prompt the general model")
        check.get_by_role("button", name="Check my answer").click()
        expect(page.locator("h1")).to_have_text("Check your understanding")
        expect(page.locator(".badge-ok")).to_have_text("Right")
        expect(page.get_by_role("link", name="log in", exact=True)).to_be_visible()
        page.get_by_role("link", name="Back to the lesson").click()
        expect(page).to_have_url(live_server.url + lesson.get_absolute_url() + "#check-which-route")
        assert not BlockAnswer.objects.exists()
    finally:
        context.close()


def test_a_visitor_with_javascript_answers_in_place(page, live_server, lesson, check_a11y):
    page.goto(live_server.url + lesson.get_absolute_url())
    predict = page.locator("#predict-what-happens")
    predict.get_by_label("In your own words, what do you expect?").fill("A guess.")
    predict.get_by_role("button", name="Reveal the outcome").click()
    expect(predict).to_contain_text("OUTCOME-what-happens")
    expect(predict).to_contain_text("Not saved")
    check_a11y(page)
    assert not BlockAnswer.objects.exists()
