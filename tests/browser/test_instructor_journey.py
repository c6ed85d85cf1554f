"""An instructor writes a lesson in the admin, previews it live, publishes, edits and reverts.

The live preview is a static script posting the body to a staff-only endpoint as the
instructor types; a draft is a 404 for learners until it is published; the history page
lists each revision with who saved it, compares two, and reverts to the first. axe finds no
serious or critical violations on the admin pages we add to and on the learner's page.
"""


import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import INSTRUCTORS, sync_instructors_group
from courses.models import Course
from lessons.models import Lesson

FIRST_BODY = "## Live preview\n\nTyped *as you go*."
EDITED_BODY = "## Edited heading\n\nA second version of the text."


@pytest.fixture
def instructor(transactional_db, make_user):
    sync_instructors_group()
    user = make_user("ines", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    Course.objects.create(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance.", order=1, is_published=True,
    )  # fmt: skip
    return user


def learner_status(browser, url):
    """What an anonymous learner gets at ``url``: the status code and the page's heading."""
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(url)
        return response.status, page.locator("h1").first.inner_text()
    finally:
        context.close()


def test_write_preview_publish_edit_and_revert(
    page, browser, live_server, instructor, password, check_a11y, snap
):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.locator("tr.model-lesson").get_by_role("link", name="Add").click()
    expect(page.get_by_role("heading", name="Add lesson")).to_be_visible()
    page.get_by_label("Course").select_option(label="Clinical documentation AI")
    page.get_by_label("Title").press_sequentially("Prompting is sometimes enough")
    expect(page.get_by_label("Slug")).to_have_value("prompting-is-sometimes-enough")
    page.get_by_label("Estimated minutes").fill("4")

    body = page.get_by_label("Body")
    preview = page.locator("#id_body_preview")
    body.press_sequentially("## Live preview\n\nTyped *as", delay=15)
    expect(preview.get_by_role("heading", name="Live preview")).to_be_visible()
    body.press_sequentially(" you go*.", delay=15)
    expect(preview.locator("em")).to_have_text("as you go")
    expect(page.locator("#id_body_preview_status")).to_have_text("Preview up to date.")
    check_a11y(page)
    snap(page, "live-preview")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    lesson = Lesson.objects.get(slug="prompting-is-sometimes-enough")
    assert lesson.status == "draft" and lesson.body == FIRST_BODY and lesson.owner == instructor
    url = f"{live_server.url}{lesson.get_absolute_url()}"
    assert learner_status(browser, url)[0] == 404

    page.get_by_role("link", name="View on site").click()
    expect(page.get_by_text("Draft: not visible to learners.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prompting is sometimes enough")
    check_a11y(page)
    page.go_back()

    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert learner_status(browser, url) == (200, "Prompting is sometimes enough")

    body = page.get_by_label("Body")
    body.fill(EDITED_BODY)
    expect(preview.get_by_role("heading", name="Edited heading")).to_be_visible()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("ines")
    check_a11y(page)
    snap(page, "history")
    page.get_by_role("button", name="Compare the chosen revisions").click()
    expect(page.locator(".diff-removed").first).to_contain_text("## Live preview")
    expect(page.locator(".diff-added").first).to_contain_text("## Edited heading")
    check_a11y(page)
    snap(page, "compare")
    page.go_back()

    rows.last.get_by_role("link").click()
    expect(page.get_by_label("Body")).to_have_value(FIRST_BODY)
    expect(
        page.locator("#id_body_preview").get_by_role("heading", name="Live preview")
    ).to_be_visible()
    check_a11y(page)
    snap(page, "revert")
    page.get_by_role("button", name="Revert").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    lesson.refresh_from_db()
    assert lesson.body == FIRST_BODY
    assert lesson.status == "draft"  # the first revision was a draft, so it is one again
    assert lesson.history.count() == 4
    assert learner_status(browser, url)[0] == 404
