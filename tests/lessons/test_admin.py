"""Authoring lessons in the admin, as an instructor: forms, filters, preview, history, revert."""

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson
from tests.core.html_safety import unsafe_parts
from tests.factories import make_course, make_lesson
from tests.html import elements

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:lessons_lesson_add")
CHANGELIST = reverse("admin:lessons_lesson_changelist")
PREVIEW = reverse("admin:lessons_lesson_preview")


def form_data(course, **overrides):
    data = {
        "course": course.pk,
        "title": "Format is the problem",
        "slug": "format-is-the-problem",
        "order": 1,
        "status": "draft",
        "estimated_minutes": 6,
        "body": "## Why\r\n\r\nBecause.",
        "sources": "- The article\r\n- Our notes",
        "reviewed_on": "",
        "owner": "",
        "_save": "Save",
        # The learning objectives inline (none).
        "objectives-TOTAL_FORMS": 0, "objectives-INITIAL_FORMS": 0,
        "objectives-MIN_NUM_FORMS": 0, "objectives-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    data.update(overrides)
    return data


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def links(html):
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_instructor_adds_a_lesson_and_the_revision_records_who(instructor_client, instructor):
    course = make_course()
    response = instructor_client.post(ADD_URL, form_data(course, owner=instructor.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = Lesson.objects.get(slug="format-is-the-problem")
    assert lesson.body == "## Why\n\nBecause."  # browser newlines normalised
    assert lesson.sources == "- The article\n- Our notes"
    assert lesson.owner == instructor
    revision = lesson.history.get()
    assert revision.history_user == instructor
    assert revision.history_type == "+"


def test_add_form_proposes_the_instructor_as_owner_and_prepopulates_the_slug(
    instructor_client, instructor
):
    body = instructor_client.get(ADD_URL).content.decode()
    assert f'name="owner" value="{instructor.pk}"' in body
    assert "data-prepopulated-fields=" in body
    assert (
        "&quot;#id_slug&quot;" in body
        and "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]" in body
    )


def test_unknown_embed_is_a_validation_error(instructor_client):
    course = make_course()
    response = instructor_client.post(ADD_URL, form_data(course, body="Hi\n\n[[nokind:thing]]"))
    assert response.status_code == 200
    assert "there is no widget called" in response.content.decode()
    assert not Lesson.objects.exists()


def test_body_over_the_limit_is_refused_with_a_clear_message(instructor_client):
    course = make_course()
    too_long = "x" * (Lesson.MAX_BODY_LENGTH + 1)
    response = instructor_client.post(ADD_URL, form_data(course, body=too_long))
    assert response.status_code == 200
    assert f"the limit is {Lesson.MAX_BODY_LENGTH:,}" in response.content.decode()
    assert not Lesson.objects.exists()
    page = instructor_client.get(ADD_URL).content.decode()
    assert f'maxlength="{Lesson.MAX_BODY_LENGTH}"' in page


def test_changelist_shows_columns_filters_and_search(instructor_client):
    course = make_course(title="Imaging")
    make_lesson(course=course, title="Perception first")
    make_lesson(course=course, title="Reasoning later")
    response = instructor_client.get(CHANGELIST)
    body = response.content.decode()
    assert response.status_code == 200
    for column in ("column-title", "column-course", "column-order", "column-status",
                   "column-reviewed_on", "column-updated_at"):  # fmt: skip
        assert column in body
    assert "Not reviewed in 12 months" in body
    searched = instructor_client.get(CHANGELIST, {"q": "Perception"}).content.decode()
    assert "Perception first" in searched and "Reasoning later" not in searched


def test_not_reviewed_in_12_months_filter(instructor_client):
    course = make_course()
    today = timezone.localdate()
    make_lesson(course=course, title="Fresh", reviewed_on=today - datetime.timedelta(days=30))
    make_lesson(course=course, title="Stale", reviewed_on=today - datetime.timedelta(days=400))
    make_lesson(course=course, title="Never")
    body = instructor_client.get(CHANGELIST, {"review": "stale"}).content.decode()
    assert "Stale" in body and "Never" in body and "Fresh" not in body


def test_change_form_has_the_live_preview_beside_the_body(instructor_client):
    lesson = make_lesson(course=make_course())
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    body = instructor_client.get(url).content.decode()
    assert f'data-preview-url="{PREVIEW}"' in body
    assert 'data-source="id_body"' in body
    assert "/static/js/admin-lesson-preview.js" in body
    assert "<script>" not in body  # the admin is under the same CSP: no inline scripts


def test_preview_renders_posted_markdown_for_instructors(instructor_client):
    response = instructor_client.post(
        PREVIEW, {"body": "## Hello\n\n*there* <script>alert(1)</script>\n\n[[nokind:x]]"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h2 id="md-hello">Hello</h2>' in body
    assert "<em>there</em>" in body
    assert "no widget called &#x27;nokind&#x27;" in body
    rendered = body.split("</ul>", 1)[1]
    assert [part for part in unsafe_parts(rendered) if "admin-embed-box" not in part] == []
    [box] = elements(rendered, "p", class_="admin-embed-box")
    assert box.text.startswith("Widget nokind: x")
    assert "<html" not in body


@pytest.mark.parametrize("who", ["anonymous", "learner", "staff_without_lesson_rights"])
def test_preview_is_403_for_everyone_else(who, client, make_user):
    if who == "learner":
        client.force_login(make_user("lena"))
    elif who == "staff_without_lesson_rights":
        client.force_login(make_user("sam", is_staff=True))
    assert client.post(PREVIEW, {"body": "hi"}).status_code == 403


def test_preview_only_accepts_post_and_refuses_oversized_text(instructor_client):
    assert instructor_client.get(PREVIEW).status_code == 405
    response = instructor_client.post(PREVIEW, {"body": "x" * (Lesson.MAX_BODY_LENGTH + 1)})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()


def test_preview_needs_the_csrf_token(instructor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    assert client.post(PREVIEW, {"body": "hi"}).status_code == 403


def test_view_on_site_opens_the_draft_as_a_learner_would_see_it(instructor_client):
    lesson = make_lesson(course=make_course(), status=Lesson.Status.DRAFT)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    on_site = next(a["href"] for a in links(instructor_client.get(url).content.decode())
                   if "viewsitelink" in a.get("class", ""))  # fmt: skip
    redirect = instructor_client.get(on_site)
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(lesson.get_absolute_url())
    page = instructor_client.get(lesson.get_absolute_url())
    assert page.status_code == 200
    assert "Draft: not visible to learners." in page.content.decode()


def edit(client, lesson, **changes):
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    data = form_data(
        lesson.course,
        title=lesson.title,
        slug=lesson.slug,
        order=lesson.order,
        status=lesson.status,
        body=lesson.body,
        sources=lesson.sources,
    )
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_history_lists_revisions_with_who_and_compare_shows_an_escaped_diff(
    instructor_client, instructor
):
    course = make_course()
    instructor_client.post(ADD_URL, form_data(course, body="line one\nline two\nline three"))
    lesson = Lesson.objects.get()
    edit(instructor_client, lesson, body="line one\nline 2 <script>alert(1)</script>\nline three",
         status="published")  # fmt: skip
    history = instructor_client.get(reverse("admin:lessons_lesson_history", args=[lesson.pk]))
    body = history.content.decode()
    assert history.status_code == 200
    assert body.count("ines") >= 2
    assert "2 revisions" in body
    assert 'style="' not in body  # our history list avoids the inline style simple-history uses
    compare = instructor_client.get(reverse("admin:lessons_lesson_compare", args=[lesson.pk]))
    diff = compare.content.decode()
    assert compare.status_code == 200
    assert elements(diff, "tr", class_="diff-removed") and "<code>line two</code>" in diff
    assert "<code>line 2 &lt;script&gt;alert(1)&lt;/script&gt;</code>" in diff
    assert "<script>alert(1)" not in diff
    assert "Status" in diff and "draft" in diff and "published" in diff


def test_compare_chooses_revisions_from_the_query_and_404s_for_unknown_lessons(instructor_client):
    course = make_course()
    instructor_client.post(ADD_URL, form_data(course, body="alpha"))
    lesson = Lesson.objects.get()
    edit(instructor_client, lesson, body="beta")
    edit(instructor_client, lesson, body="gamma")
    first, _, last = lesson.history.order_by("history_date", "history_id")
    url = reverse("admin:lessons_lesson_compare", args=[lesson.pk])
    diff = instructor_client.get(url, {"from": first.history_id, "to": last.history_id})
    text = diff.content.decode()
    assert "<code>alpha</code>" in text and "<code>gamma</code>" in text
    assert "<code>beta</code>" not in text
    missing = reverse("admin:lessons_lesson_compare", args=[999999])
    assert instructor_client.get(missing).status_code in (302, 404)


def test_revert_to_the_first_revision(instructor_client):
    course = make_course()
    instructor_client.post(ADD_URL, form_data(course, body="first text", title="First title"))
    lesson = Lesson.objects.get()
    edit(instructor_client, lesson, body="second text", title="Second title")
    first = lesson.history.earliest("history_date")
    revert_url = reverse("admin:lessons_lesson_simple_history", args=[lesson.pk, first.history_id])
    page = instructor_client.get(revert_url).content.decode()
    assert "first text" in page and 'value="Revert"' in page
    response = instructor_client.post(
        revert_url, form_data(course, body=first.body, title=first.title, slug=first.slug)
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body == "first text" and lesson.title == "First title"
    assert lesson.history.count() == 3


def test_course_admin_edits_lesson_order_inline(instructor_client):
    course = make_course(title="Docs")
    one = make_lesson(course=course, title="One", order=1)
    two = make_lesson(course=course, title="Two", order=2)
    url = reverse("admin:courses_course_change", args=[course.pk])
    page = instructor_client.get(url).content.decode()
    assert "One" in page and "Two" in page and 'name="lessons-0-order"' in page
    assert 'name="lessons-MAX_NUM_FORMS" value="0"' in page  # no adding without a body
    data = {
        "title": "Docs", "slug": course.slug, "summary": course.summary, "description": "New *desc*",
        "order": 1, "is_published": "on", "released_on": "2026-03-02", "disclosure": "None.",
        "lessons-TOTAL_FORMS": 2, "lessons-INITIAL_FORMS": 2,
        "lessons-MIN_NUM_FORMS": 0, "lessons-MAX_NUM_FORMS": 1000,
        "lessons-0-id": one.pk, "lessons-0-course": course.pk, "lessons-0-order": 2,
        "lessons-0-title": "One", "lessons-0-status": "published", "lessons-0-estimated_minutes": 5,
        "lessons-1-id": two.pk, "lessons-1-course": course.pk, "lessons-1-order": 1,
        "lessons-1-title": "Two", "lessons-1-status": "published", "lessons-1-estimated_minutes": 5,
        "_save": "Save",
    }  # fmt: skip
    response = instructor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    one.refresh_from_db()
    two.refresh_from_db()
    course.refresh_from_db()
    assert (one.order, two.order) == (2, 1)
    assert course.description_html == "<p>New <em>desc</em></p>"
