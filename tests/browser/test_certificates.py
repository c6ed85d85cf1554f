"""A learner who completed a course finds their certificate on "My progress", opens its
public page and downloads the PDF and the credential, on a laptop and a phone, with
JavaScript on and off; a visitor with the link sees the same page, and a made-up code a
plain "not found"."""

import io
import json
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Profile
from certificates.services import issue_missing
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import (
    complete_lessons,
    make_course,
    make_quiz,
    published_lessons,
    submit_attempt,
)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
NAME = "Zoë Łukasz"
COURSE = "Clinical documentation AI"


@pytest.fixture
def zoe(make_user):
    learner = make_user("zoe")
    Profile.objects.create(user=learner, display_name=NAME)
    course = make_course(slug="clinical-documentation-ai", title=COURSE, lessons=2)
    quiz = make_quiz(course=course, slug="documentation-check", questions=2)
    complete_lessons(user=learner, lessons=published_lessons(course=course), days_ago=1)
    submit_attempt(user=learner, quiz=quiz, picks=["right", "right"], days_ago=1)
    assert issue_missing() == 1  # what the minute's task does
    return learner


def no_sideways_scroll(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def follows_to_the_certificate(page):
    section = page.get_by_role("region", name="Certificates")
    expect(section).to_be_visible()
    expect(section.get_by_text("Valid")).to_be_visible()
    no_sideways_scroll(page)
    section.get_by_role("link", name=COURSE, exact=True).click()
    expect(page.get_by_role("heading", name="Certificate verified", level=1)).to_be_visible()
    facts = page.locator(".certificate-facts")
    expect(facts).to_contain_text(NAME)
    expect(facts).to_contain_text(COURSE)
    no_sideways_scroll(page)


def downloads(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    with open(info.value.path(), "rb") as downloaded:
        return downloaded.read()


def the_pdf_holds_the_certificate(data: bytes, code: str):
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert NAME in text and COURSE in text and code in text


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_finds_opens_and_downloads_their_certificate(
    page, live_server, login, check_a11y, snap, zoe, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    login(page, zoe)
    page.goto(f"{live_server.url}/progress/")
    check_a11y(page)
    follows_to_the_certificate(page)
    check_a11y(page)
    snap(page, "certificate")
    code = zoe.certificates.get().code
    the_pdf_holds_the_certificate(downloads(page, "Download the PDF"), code)
    credential = json.loads(downloads(page, "Download the Open Badges credential"))
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_without_javascript_the_same_journey_works(
    browser, live_server, password, snap, zoe, viewport
):
    context = browser.new_context(
        java_script_enabled=False, viewport=VIEWPORTS[viewport], accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/progress/")
        page.get_by_label("Username").fill(zoe.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        follows_to_the_certificate(page)
        snap(page, "certificate-no-js")
        the_pdf_holds_the_certificate(
            downloads(page, "Download the PDF"), zoe.certificates.get().code
        )
    finally:
        context.close()


def test_a_visitor_with_the_link_sees_it_and_a_made_up_code_is_not_found(
    page, live_server, check_a11y, page_errors, zoe
):
    code = zoe.certificates.get().code
    page.goto(f"{live_server.url}/certificates/{code}/")
    expect(page.get_by_role("heading", name="Certificate verified", level=1)).to_be_visible()
    expect(page.locator(".certificate-facts")).to_contain_text(NAME)
    assert "zoe@example.com" not in page.content() and "zoe" not in page.content().lower().replace(
        "zoë", ""
    )
    check_a11y(page)
    response = page.goto(f"{live_server.url}/certificates/AAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status == 404
    # The browser reports the 404 in its console: expected here, and only that.
    assert page_errors and all("404" in error for error in page_errors), page_errors
    page_errors.clear()
    expect(page.get_by_role("heading", name="Certificate not found", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("course catalog"))).to_be_visible()
    check_a11y(page)
