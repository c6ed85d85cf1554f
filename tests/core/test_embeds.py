"""Embedded widgets: the registry, validation, and request-time rendering on the lesson page."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html
from pytest_django.asserts import assertInHTML

from core import embeds
from tests.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_kind():
    """Register a 'fake' widget kind for one test, then restore the registry."""
    saved = dict(embeds._registry)
    calls = []

    def render(request, slug, *, index):
        calls.append((slug, index, request.path))
        if slug == "vanishing":
            raise Http404("deleted meanwhile")
        if slug == "unsafe":
            return "<script>alert(1)</script>"
        return format_html('<div class="fake-widget" id="fake-{}">Widget {}</div>', index, slug)

    embeds.register("fake", render=render, exists=lambda slug: slug != "missing")
    yield calls
    embeds._registry.clear()
    embeds._registry.update(saved)


def test_registered_kind_renders_in_place_with_its_index(client, fake_kind):
    lesson = make_lesson(
        course=make_course(), body="Intro\n\n[[fake:one]]\n\nMiddle\n\n[[fake:two]]\n\nEnd"
    )
    body = client.get(lesson.get_absolute_url()).content.decode()
    assertInHTML('<div class="fake-widget" id="fake-0">Widget one</div>', body)
    assertInHTML('<div id="fake-1" class="fake-widget">Widget two</div>', body)
    assert "[[fake:" not in body
    assert [(slug, index) for slug, index, _ in fake_kind] == [("one", 0), ("two", 1)]
    assert fake_kind[0][2] == lesson.get_absolute_url()


@pytest.mark.parametrize("line", ["[[nokind:thing]]", "[[fake:missing]]", "[[fake:vanishing]]"])
def test_unknown_kind_or_slug_shows_an_inert_notice_not_an_error(client, fake_kind, line):
    lesson = make_lesson(course=make_course(), body=f"Before\n\n{line}\n\nAfter")
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="embed-missing" role="note"' in body
    assert "Staff note" not in body
    assert "Before" in body and "After" in body


def test_staff_see_which_embed_is_missing(admin_client, fake_kind):
    lesson = make_lesson(course=make_course(), body="[[fake:missing]]")
    body = admin_client.get(lesson.get_absolute_url()).content.decode()
    assert "<code>[[fake:missing]]</code>" in body


def test_a_widget_returning_plain_text_is_escaped(client, fake_kind):
    lesson = make_lesson(course=make_course(), body="[[fake:unsafe]]")
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_validate_embeds_accepts_known_and_names_every_unknown(fake_kind):
    embeds.validate_embeds("[[fake:one]]\n\ntext")
    with pytest.raises(ValidationError) as error:
        embeds.validate_embeds("[[fake:missing]]\n\n[[nokind:x]]")
    messages = " ".join(error.value.messages)
    assert "[[fake:missing]]" in messages
    assert "no widget called 'nokind'" in messages


def test_embed_lines_inside_other_markup_stay_text(client, fake_kind):
    lesson = make_lesson(course=make_course(), body="Inline [[fake:one]] mention.\n\n    [[fake:two]]")
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert "fake-widget" not in body
    assert "Inline [[fake:one]] mention." in body


def test_the_index_counts_embeds_of_the_same_kind(fake_kind):
    seen = []

    def replace(kind, slug, index):
        seen.append((kind, slug, index))
        return ""

    from core.rendering import expand_placeholders, render_markdown

    html = render_markdown("[[nokind:a]]\n\n[[fake:one]]\n\n[[nokind:b]]\n\n[[fake:two]]")
    expand_placeholders(html, replace)
    assert seen == [("nokind", "a", 0), ("fake", "one", 0), ("nokind", "b", 1), ("fake", "two", 1)]
