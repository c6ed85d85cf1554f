"""A learner goes from the catalog to a lesson, marks it complete and finds their place again.

With JavaScript, htmx swaps only the completion region (a marker set on ``window``
survives, so the page was not reloaded); without JavaScript the same form posts and
redirects back. An anonymous reader who tries to complete a lesson is sent to log in and
comes back to it. axe finds no serious or critical violations on any page.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from tests.browser.conftest import ACTION_TIMEOUT_MS

LONG_BODY = """## Learning objectives

- Tell a format gap from a knowledge gap.

## Why format matters

Structured notes need the **same shape** every time.

| Output | Checked by |
|---|---|
| Note | Schema |

## Key takeaways

Format is a fine-tuning problem more often than knowledge is.
"""


@pytest.fixture
def course(transactional_db):
    course = Course.objects.create(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance and traceability.", order=1, is_published=True,
        description="Where fine-tuning for *format* still pays.",
    )  # fmt: skip
    titles = ["Format is the problem", "Notes, codes and templates", "When fine-tuning pays"]
    for order, title in enumerate(titles, start=1):
        Lesson.objects.create(
            course=course, slug=f"lesson-{order}", title=title, order=order,
            status=Lesson.Status.PUBLISHED, estimated_minutes=5, body=LONG_BODY,
            sources="- The source article, in our own words.",
        )  # fmt: skip
    Lesson.objects.create(
        course=course, slug="unfinished", title="Unfinished draft", order=9, body="Draft."
    )
    return course


def lesson_url(live_server, number):
    return f"{live_server.url}/courses/clinical-documentation-ai/lesson-{number}/"


def test_catalog_course_lesson_complete_and_resume(
    page, live_server, course, learner, login, check_a11y, snap
):
    login(page, learner)
    page.goto(live_server.url + "/")
    card = page.locator(".course-card", has_text="Clinical documentation AI")
    expect(card).to_contain_text("3 lessons · about 15 minutes")
    expect(card).to_contain_text("0 of 3 lessons done")
    check_a11y(page)
    snap(page, "catalog-before")

    card.get_by_role("link", name="Clinical documentation AI", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinical documentation AI")
    expect(page.get_by_role("link", name="Unfinished draft")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name=re.compile(r"^Start")).click()

    expect(page).to_have_url(lesson_url(live_server, 1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Format is the problem")
    toc = page.get_by_role("navigation", name="On this page")
    expect(toc.get_by_role("link")).to_have_count(3)
    check_a11y(page)
    snap(page, "lesson")

    toc.get_by_role("link", name="Key takeaways").click()
    expect(page).to_have_url(re.compile(r"#md-key-takeaways$"))

    page.evaluate("window.__lessonMarker = 'still here'")
    page.get_by_role("button", name="Mark complete").click()
    region = page.locator("#completion")
    expect(region).to_contain_text("You completed this lesson on")
    expect(region).to_contain_text("1 of 3 lessons done in Clinical documentation AI")
    assert page.evaluate("window.__lessonMarker") == "still here"  # swapped, not reloaded
    assert LessonCompletion.objects.filter(user=learner).count() == 1
    check_a11y(page)
    snap(page, "completed")

    region.get_by_role("link", name=re.compile(r"^Next lesson")).click()
    expect(page).to_have_url(lesson_url(live_server, 2))
    expect(page.get_by_role("button", name="Mark complete")).to_be_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Clinical documentation AI"
    ).click()
    expect(page.get_by_text("1 of 3 lessons done")).to_be_visible()
    expect(page.get_by_text("Left to finish: 2 lessons, about 10 minutes.")).to_be_visible()
    resume = page.get_by_role("link", name="Resume where you left off")
    expect(resume).to_have_attribute("href", "/courses/clinical-documentation-ai/lesson-2/")
    done_item = page.locator(".lesson-item", has_text="Format is the problem")
    expect(done_item).to_contain_text("Done")
    check_a11y(page)
    snap(page, "overview-after")

    page.goto(live_server.url + "/")
    card = page.locator(".course-card", has_text="Clinical documentation AI")
    expect(card).to_contain_text("1 of 3 lessons done")
    expect(card.locator("progress")).to_have_attribute("value", "1")
    card.get_by_role("link", name=re.compile(r"^Continue")).click()
    expect(page).to_have_url(lesson_url(live_server, 2))


def test_without_javascript_mark_complete_posts_and_comes_back(
    browser, live_server, course, learner, login
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        login(page, learner)
        page.goto(lesson_url(live_server, 3))
        page.get_by_role("button", name="Mark complete").click()
        expect(page).to_have_url(lesson_url(live_server, 3) + "#completion")
        expect(page.get_by_role("status").first).to_contain_text(
            "Marked “When fine-tuning pays” complete."
        )
        expect(page.locator("#completion")).to_contain_text("1 of 3 lessons done")
        # No axe here: it runs as page JavaScript, which this context has switched off.
    finally:
        context.close()


def test_an_anonymous_reader_logs_in_to_complete_and_comes_back(
    page, live_server, course, learner, password, check_a11y
):
    page.goto(lesson_url(live_server, 1))
    expect(page.get_by_text("Log in to keep track of the lessons you finish.")).to_be_visible()
    page.get_by_role("button", name="Mark complete").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("Log in to mark lessons complete.")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill(learner.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(lesson_url(live_server, 1))
    page.get_by_role("button", name="Mark complete").click()
    expect(page.locator("#completion")).to_contain_text("You completed this lesson on")
