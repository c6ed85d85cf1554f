"""The lesson page in a real browser at 1280 x 800 and 390 x 844, with JavaScript and without.

The course outline sits beside the lesson on a wide screen and in a closed <details> on a
phone, marking where the learner is (aria-current) and what is done in words; "Mark complete"
and "Next lesson" follow the lesson text; marking complete shows the success panel with the
next step, swapped in by htmx or after the POST's redirect; no page scrolls sideways and axe
finds nothing serious.
"""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import LessonCompletion
from quizzes.models import Quiz
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import add_question, make_course, make_lesson

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BODY = "## First\n\ntext\n\n### Part\n\ntext\n\n## Second\n\ntext\n\n## Third\n\ntext"


@pytest.fixture
def lessons(transactional_db):
    course = make_course(slug="doc-track", title="Documentation track", order=1)
    make_course(slug="next-track", title="Imaging track", order=2, lessons=1)
    made = [
        make_lesson(
            course=course,
            slug=f"lesson-{n}",
            title=f"Lesson {n}",
            order=n,
            body=BODY,
            estimated_minutes=7,
        )  # fmt: skip
        for n in (1, 2, 3)
    ]
    Quiz.objects.create(course=course, lesson=made[2], slug="doc-quiz", title="Doc quiz",
                        is_published=True)  # fmt: skip
    return made


def outline(page, width):
    return page.locator(".course-outline-wide" if width == "desktop" else ".course-outline-narrow")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_outline_and_mark_complete_with_javascript(
    page, live_server, lessons, learner, login, check_a11y, snap, width
):
    LessonCompletion.objects.create(user=learner, lesson=lessons[0])
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(live_server.url + lessons[1].get_absolute_url())
    box = outline(page, width)
    expect(box).to_be_visible()
    if width == "phone":
        expect(page.locator(".course-outline-wide")).to_be_hidden()
        expect(box).not_to_have_attribute("open", "")  # closed by default on a phone
        expect(box.locator("summary")).to_contain_text("1 of 3 lessons done")
        box.locator("summary").click()
    else:
        expect(page.locator(".course-outline-narrow")).to_be_hidden()
    current = box.get_by_role("link", name="Lesson 2")
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_contain_text("You are here")
    expect(box.get_by_role("link", name="Lesson 1")).to_contain_text("Done")
    expect(box.get_by_role("link", name="Quiz: Doc quiz")).to_be_visible()
    expect(page.locator(".course-time-left")).to_have_text("about 14 minutes left in the course")
    check_a11y(page)
    no_sideways_scroll(page)
    snap(page, f"lesson-{width}")

    # The action sits right after the text: within a screen of the body's end.
    gap = page.evaluate(
        "document.querySelector('#completion').getBoundingClientRect().top"
        " - document.querySelector('.lesson-body').getBoundingClientRect().bottom"
    )
    assert 0 <= gap < 200, gap
    page.evaluate("window.__kept = 'yes'")
    page.get_by_role("button", name="Mark complete").click()
    panel = page.locator("#completion .achievement")
    expect(panel.get_by_role("heading", name="Lesson complete")).to_be_visible()
    expect(panel).to_be_focused()
    expect(page.locator("#completion")).to_contain_text("2 of 3 lessons done")
    expect(
        page.locator("#completion").get_by_role("link", name="Next lesson: Lesson 3")
    ).to_be_visible()
    assert page.evaluate("window.__kept") == "yes"
    # The outline beside the lesson is updated too (out of band).
    expect(box.get_by_role("link", name="Lesson 2")).to_contain_text("You are here, done")
    if width == "phone":
        expect(box.locator("summary")).to_contain_text("2 of 3 lessons done")
        expect(box).to_have_attribute("open", "")  # still as the learner left it
    else:
        expect(page.locator("#outline-wide-facts")).to_contain_text("2 of 3 lessons done")
    check_a11y(page)
    no_sideways_scroll(page)
    snap(page, f"completed-{width}")
    assert LessonCompletion.objects.filter(user=learner, lesson=lessons[1]).exists()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_mark_complete_without_javascript_shows_the_panel_after_the_redirect(
    browser, live_server, lessons, learner, password, width
):
    context = browser.new_context(java_script_enabled=False, viewport=WIDTHS[width])
    try:
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(learner.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.goto(live_server.url + lessons[0].get_absolute_url())
        no_sideways_scroll(page)
        page.get_by_role("button", name="Mark complete").click()
        expect(page).to_have_url(live_server.url + lessons[0].get_absolute_url() + "#completion")
        completion = page.locator("#completion")
        expect(completion.get_by_role("heading", name="Lesson complete")).to_be_visible()
        expect(completion.get_by_role("link", name="Next lesson: Lesson 2")).to_be_visible()
        no_sideways_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_completing_a_course_celebrates_and_suggests_the_next_track(
    page, live_server, lessons, learner, login, check_a11y, snap, width
):
    Quiz.objects.all().delete()  # a course of lessons only: the last one completes it
    for lesson in lessons[:2]:
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    page.set_viewport_size(WIDTHS[width])
    page.emulate_media(reduced_motion="reduce")
    login(page, learner)
    page.goto(live_server.url + lessons[2].get_absolute_url())
    page.get_by_role("button", name="Mark complete").click()
    completion = page.locator("#completion")
    expect(completion.get_by_role("heading", name="Course complete!")).to_be_visible()
    expect(
        completion.get_by_role("link", name="Start the next track: Imaging track")
    ).to_be_visible()
    expect(page.locator(".course-time-left")).to_have_count(0)  # nothing left to read
    # No motion for those who ask for less.
    animation = page.evaluate(
        "getComputedStyle(document.querySelector('.achievement-mark')).animationName"
    )
    assert animation == "none"
    check_a11y(page)
    no_sideways_scroll(page)
    snap(page, f"course-complete-{width}")

    page.goto(f"{live_server.url}/courses/doc-track/")
    actions = page.locator(".course-status .course-actions")
    expect(actions).not_to_contain_text("Resume where you left off")
    expect(actions.get_by_role("link", name="Start the next track: Imaging track")).to_be_visible()
    expect(actions.get_by_role("link", name=re.compile("Review the course"))).to_be_visible()
    check_a11y(page)
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_passing_a_quiz_is_acknowledged_with_the_next_step(
    page, live_server, lessons, learner, login, check_a11y, snap, width
):
    quiz = Quiz.objects.get(slug="doc-quiz")
    for number, kind in enumerate(["single", "true_false"], start=1):
        add_question(quiz=quiz, kind=kind, number=number)
    LessonCompletion.objects.create(user=learner, lesson=lessons[0])
    page.set_viewport_size(WIDTHS[width])
    login(page, learner)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    for question in quiz.questions.prefetch_related("choices"):
        for choice in question.choices.all():
            if choice.is_correct:
                page.get_by_label(choice.text, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    panel = page.locator(".quiz-achievement")
    expect(panel.get_by_role("heading", name="Quiz passed")).to_be_visible()
    expect(panel).to_contain_text("1 of 3 lessons done")
    expect(panel.get_by_role("link", name="Next lesson: Lesson 2")).to_be_visible()
    check_a11y(page)
    no_sideways_scroll(page)
    snap(page, f"quiz-passed-{width}")
