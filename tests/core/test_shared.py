"""core/shared.py: facts and fragments kept per release and content version, and the
per-request values (CSRF token, CSP nonce) that a kept fragment must never carry."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import _does_token_match
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.html import format_html

from config.page_cache import Placeholders
from core import shared
from tests.factories import make_course

pytestmark = pytest.mark.django_db

TOKEN_AND_NONCE = Template("<i>{{ csrf_token }}</i><b>{{ csp_nonce }}</b>")


def get(path="/page/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.htmx = False
    return request


def render(request):
    return TOKEN_AND_NONCE.render(RequestContext(request))


def token_in(html) -> str:
    return str(html).split("<i>")[1].split("</i>")[0]


def is_own_token(html, request) -> bool:
    """Whether ``html`` carries a (masked) CSRF token of ``request``'s own secret."""
    return _does_token_match(token_in(html), request.META["CSRF_COOKIE"])


def test_the_content_version_is_read_once_per_request(django_assert_num_queries):
    request = get()
    with django_assert_num_queries(1):
        first = shared.version(request)
        assert shared.key(request, "x", 1) == shared.key(request, "x", 1)
    assert shared.version(request) == first


def test_facts_are_built_once_per_content_version_and_misses_are_not_kept():
    built = []

    def build():
        built.append(1)
        return {"n": len(built)}

    assert shared.facts(get(), "thing", (1,), build) == {"n": 1}
    assert shared.facts(get(), "thing", (1,), build) == {"n": 1}
    make_course(slug="new-course")  # a content edit: a new version, new keys
    assert shared.facts(get(), "thing", (1,), build) == {"n": 2}
    assert shared.facts(get(), "missing", (1,), lambda: None) is None
    assert shared.facts(get(), "missing", (1,), lambda: "found") == "found"


def test_a_kept_fragment_gets_each_requests_own_token_and_nonce():
    first, second = get(), get()
    key = shared.key(first, "fragment", 1)
    marks = []

    def render_once():
        marks.append(first._page_cache_rendering)  # the fragment's own placeholders
        return render(first)

    html_one = shared.fragment(first, key, render_once)
    html_two = shared.fragment(second, key, lambda: pytest.fail("rendered again"))
    assert is_own_token(html_one, first) and is_own_token(html_two, second)
    assert not is_own_token(html_two, first)
    for html in (html_one, html_two):
        assert marks[0].csrf not in html and marks[0].nonce not in html
    assert not hasattr(first, "_page_cache_rendering")


def test_a_fragment_in_a_page_rendered_for_the_page_cache_carries_that_pages_placeholders():
    request = get()
    page_marks = Placeholders.new()
    request._page_cache_rendering = page_marks
    key = shared.key(request, "fragment", 2)
    html = shared.fragment(request, key, lambda: render(request))
    # The page cache fills the page's own placeholders in later, for each request.
    assert f"<i>{page_marks.csrf}</i><b>{page_marks.nonce}</b>" == str(html)
    assert request._page_cache_rendering is page_marks
    # The same fragment outside a cached render: the request's own token, no placeholder.
    other = get()
    again = shared.fragment(other, key, lambda: pytest.fail("rendered again"))
    assert is_own_token(again, other) and page_marks.csrf not in again


def test_fresh_values_are_new_on_every_use_of_a_kept_fragment():
    numbers = iter(range(100))
    key = shared.key(get(), "fresh", 1)
    seen = [
        str(
            shared.fragment(
                get(),
                key,
                lambda token: format_html("<u>{}</u>", token),
                fresh={"token": lambda: str(next(numbers))},
            )
        )
        for _ in range(3)
    ]
    assert seen == ["<u>0</u>", "<u>1</u>", "<u>2</u>"]
