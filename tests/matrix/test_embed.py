"""The matrix inside a lesson: the embed registry, several widgets on one page, and where
their forms and links point."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory
from pytest_django.asserts import assertInHTML

from core import embeds
from matrix.models import DecisionMatrix
from matrix.placement import Placement, safe_page_path
from matrix.widget import matrix_exists, render_embed

LESSON = "/courses/ai-diagnostics/base-capability-and-marginal-gain/"
HX = {"HX-Request": "true"}


def lesson_request(query: str = "", user=None):
    request = RequestFactory().get(f"{LESSON}?{query}" if query else LESSON)
    request.user = user or AnonymousUser()
    request.htmx = False
    return request


def page_with_two_embeds(request) -> str:
    """What a lesson view does: swap each placeholder for the embed's HTML."""
    kind = embeds.registered_kinds()["matrix"]
    first = kind.render(request, "base-strength", index=0)
    second = kind.render(request, "base-strength", index=1)
    return f"<main><p>Before.</p>{first}<p>Between.</p>{second}</main>"


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_matrix_is_a_registered_embed_kind_that_knows_published_slugs(matrix):
    kind = embeds.registered_kinds()["matrix"]
    assert kind.exists("base-strength")
    assert not kind.exists("no-such-matrix")
    DecisionMatrix.objects.filter(pk=matrix.pk).update(is_published=False)
    assert not matrix_exists("base-strength")


def test_two_embeds_on_one_page_have_distinct_ids(matrix):
    html = page_with_two_embeds(lesson_request())
    found = ids(html)
    assert len(found) == len(set(found)), "an id appears twice"
    assert 'id="matrix-0"' in html and 'id="matrix-1"' in html
    assert 'id="matrix-0-advisor"' in html and 'id="matrix-1-advisor"' in html
    assert 'id="matrix-1-base-strong"' in html
    # Screen readers can tell the two widgets' landmarks apart.
    assert 'aria-label="Ways to read the matrix"' in html
    assert 'aria-label="Ways to read the matrix (matrix 2 on this page)"' in html
    assert html.count("(matrix 2 on this page)</span>") == 2
    # Every label points at an input of its own widget.
    for target in re.findall(r'<label[^>]* for="([^"]+)"', html):
        assert target in found


def test_each_embed_has_its_own_form_parameters_and_htmx_target(matrix):
    html = page_with_two_embeds(lesson_request())
    first, second = html.split("<p>Between.</p>")
    assert 'name="base" value="strong"' in first
    assert 'name="m1-base" value="strong"' in second
    assert 'name="m1-strength"' in second and 'name="m1-reason"' in second
    for part in (first, second):
        assert f'action="{LESSON}"' in part  # without JavaScript the form reloads the lesson
        assert 'hx-target="this" hx-swap="outerHTML"' in part
    assert 'hx-get="/matrix/base-strength/?page=%2Fcourses%2F' in first
    assert 'hx-get="/matrix/base-strength/?widget=1&amp;page=%2Fcourses%2F' in second


def test_each_embed_reads_its_own_state_from_the_lesson_url(matrix):
    html = page_with_two_embeds(lesson_request("base=strong&m1-view=compare&m1-preset=medical-imaging"))
    first, second = html.split("<p>Between.</p>")
    assert "Who wins with a strong base" in first
    assert "Every base strength side by side" not in first
    assert "Every base strength side by side" in second
    assert "Use a specialised perception model" in second
    assert "Use a specialised perception model" not in first
    # The second widget's advisor form keeps the first widget's state and its own matrix's.
    advisor = re.search(r'<form class="matrix-advisor-form".*?</form>', second, re.S).group(0)
    assertInHTML('<input type="hidden" name="base" value="strong">', advisor)
    assertInHTML('<input type="hidden" name="m1-view" value="compare">', advisor)
    assert 'name="m1-preset"' in advisor and 'type="hidden" name="m1-preset"' not in advisor


def test_embed_headings_sit_under_the_lessons_sections(matrix):
    html = page_with_two_embeds(lesson_request())
    assert '<h2 class="matrix-embed-title">' in html
    assert '<h3 class="matrix-heading" id="matrix-0-heading"' in html
    assert "<h1" not in html


def test_assets_are_linked_once_per_page(matrix):
    html = page_with_two_embeds(lesson_request())
    assert html.count("/static/css/matrix.css") == 1
    assert html.count("/static/js/matrix.js") == 1
    assert "<script>" not in html and "style=" not in html


def test_an_unpublished_embed_shows_a_short_notice_not_an_error(matrix):
    DecisionMatrix.objects.filter(pk=matrix.pk).update(is_published=False)
    html = render_embed(lesson_request(), "base-strength", index=0)
    assert "is not available at the moment" in html


def test_htmx_from_a_lesson_swaps_that_widget_and_pushes_the_lesson_url(client, matrix):
    response = client.get(
        "/matrix/base-strength/",
        {"widget": "1", "page": LESSON, "m1-base": "strong"},
        headers={**HX, "HX-Current-URL": f"http://testserver{LESSON}?base=strong&m1-view=compare"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="matrix-widget" id="matrix-1"')
    assert "Who wins with a strong base" in html
    assert '<h3 class="matrix-heading" id="matrix-1-heading"' in html
    assert f'action="{LESSON}"' in html
    # The first widget's state stays; the second's view is replaced by the new base.
    assert response["HX-Push-Url"] == f"{LESSON}?base=strong&m1-base=strong"


def test_htmx_ignores_a_current_url_on_another_page(client, matrix):
    response = client.get(
        "/matrix/base-strength/",
        {"widget": "1", "page": LESSON, "m1-base": "strong"},
        headers={**HX, "HX-Current-URL": "http://testserver/elsewhere/?base=weak"},
    )
    assert response["HX-Push-Url"] == f"{LESSON}?m1-base=strong"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (LESSON, LESSON),
        ("//evil.example/x", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("/courses/x/?a=1", "/courses/x/"),
        ("", "/fallback/"),
        (None, "/fallback/"),
    ],
)
def test_only_local_paths_are_used_as_the_page(page, expected):
    request = RequestFactory().get("/")
    assert safe_page_path(request, page, "/fallback/") == expected


def test_placement_names_and_urls():
    first = Placement(index=0, page_path=LESSON, query=QueryDict("base=strong&m1-view=compare"))
    second = Placement(index=1, page_path=LESSON, query=QueryDict("base=strong&m1-view=compare"))
    assert first.name("base") == "base" and second.name("base") == "m1-base"
    assert second.get("view") == "compare" and first.get("view") == ""
    group = ("base", "view", "reveal")
    assert second.url(group, base="weak") == f"{LESSON}?base=strong&m1-base=weak"
    assert first.url(group) == f"{LESSON}?m1-view=compare"
    assert second.keep(group) == [("base", "strong")]
    with pytest.raises(ValueError):
        first.url(group, preset="x")
