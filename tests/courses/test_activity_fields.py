"""The Course's activity-information fields: the disclosure rendered on save, the dates and the
publishing rules checked by clean(), and the admin's "Activity information" fieldset and review
column."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def course(**fields) -> Course:
    values = {
        "slug": "c", "title": "C", "summary": "S", "is_published": True,
        "released_on": date(2026, 3, 2), "disclosure": "None.",
    }  # fmt: skip
    return Course(**{**values, **fields})


def messages(course: Course) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    return raised.value.message_dict


def test_disclosure_is_rendered_and_sanitised_on_save():
    saved = make_course(disclosure="**None**. <script>x</script>")
    assert "<strong>None</strong>" in saved.disclosure_html
    assert "<script" not in saved.disclosure_html


def test_a_complete_published_course_is_valid():
    course(last_reviewed_on=date(2026, 9, 15)).full_clean()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"disclosure": ""}, "a disclosure (write “None”"),
        ({"disclosure": "  \n"}, "a disclosure"),
        ({"released_on": None}, "a release date"),
    ],
)
def test_publishing_needs_a_release_date_and_a_disclosure(fields, words):
    found = messages(course(**fields))
    assert list(found) == ["is_published"]
    assert words in found["is_published"][0]


def test_a_draft_needs_neither():
    course(is_published=False, released_on=None, disclosure="").full_clean()


def test_a_review_before_the_release_is_refused():
    found = messages(course(last_reviewed_on=date(2026, 3, 1)))
    assert found == {"last_reviewed_on": ["The last review cannot be before the release date."]}


def test_dates_in_the_future_are_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    found = messages(course(released_on=tomorrow, last_reviewed_on=tomorrow))
    assert found["released_on"] == ["The release date cannot be in the future."]
    assert found["last_reviewed_on"] == ["The last review cannot be in the future."]


def test_expiry_is_three_years_after_the_last_review_or_the_release():
    assert course(released_on=date(2024, 2, 29)).expires_on == date(2027, 2, 28)
    assert course(last_reviewed_on=date(2026, 9, 15)).expires_on == date(2029, 9, 15)
    assert course(released_on=None).expires_on is None


# The admin -------------------------------------------------------------------------------


def test_the_admin_groups_the_fields_under_activity_information(admin_client):
    saved = make_course(released_on=date(2026, 3, 2), disclosure="None.")
    page = admin_client.get(reverse("admin:courses_course_change", args=[saved.pk])).content
    page = page.decode()
    assert "<h2" in page and "Activity information" in page
    for name in ("released_on", "last_reviewed_on", "disclosure"):
        assert f'name="{name}"' in page
    assert "write “None” if there are none" in page  # the disclosure's help text
    assert "due for review 3 years after this day" in page
    assert "Due by 2 Mar 2029" in page  # the review, read-only


def test_publishing_without_a_disclosure_is_refused_in_the_admin(admin_client):
    url = reverse("admin:courses_course_add")
    data = {
        "title": "New", "slug": "new", "summary": "S", "order": 1, "is_published": "on",
        "released_on": "2026-03-02", "disclosure": "",
        "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0,
        "lessons-MIN_NUM_FORMS": 0, "lessons-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A published course needs a disclosure" in response.content.decode()
    assert not Course.objects.filter(slug="new").exists()
    response = admin_client.post(url, {**data, "disclosure": "None."})
    assert response.status_code == 302
    assert Course.objects.get(slug="new").disclosure_html == "<p>None.</p>"


def test_publishing_from_the_change_list_without_a_release_date_is_a_message_not_an_error(
    admin_client,
):
    draft = make_course(published=False)
    url = reverse("admin:courses_course_changelist")
    data = {
        "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000, "form-0-id": draft.pk, "form-0-order": draft.order,
        "form-0-is_published": "on", "_save": "Save",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A published course needs a release date" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_change_list_shows_which_courses_are_overdue_for_review(admin_client):
    today = timezone.localdate()
    make_course(title="Old track", released_on=date(2020, 1, 6), disclosure="None.")
    make_course(title="Fresh track", released_on=today, disclosure="None.")
    url = reverse("admin:courses_course_changelist")
    page = admin_client.get(url).content.decode()
    assert "Review overdue (due by 6 Jan 2023)" in page
    assert f"Due by {today.day} {today:%b} {today.year + 3}" in page
    overdue = admin_client.get(url, {"review": "overdue"}).content.decode()
    assert "Old track" in overdue and "Fresh track" not in overdue
    current = admin_client.get(url, {"review": "current"}).content.decode()
    assert "Fresh track" in current and "Old track" not in current
