"""CSRF tokens for kept pages (config/csrf_tokens.py): Django's tokens, drawn faster."""

import collections

import pytest
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)
from django.test import RequestFactory

from config.csrf_tokens import random_indices, token_for


def test_a_visitor_without_a_secret_gets_one_and_the_token_masks_it():
    request = RequestFactory().get("/")
    token = token_for(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_visitor_with_a_secret_keeps_it_and_gets_a_new_mask_each_time():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = get_token(RequestFactory().get("/"))[:32]
    tokens = {token_for(request) for _ in range(50)}
    assert len(tokens) == 50  # masked anew every time, as get_token does (BREACH)
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert request.META["CSRF_COOKIE"] == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.parametrize("has_secret", [False, True])
def test_djangos_middleware_accepts_the_token_and_sets_the_cookie(has_secret):
    """The page's token posted back with the cookie the response set passes Django's check."""
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    page_request = RequestFactory().get("/")
    if has_secret:
        page_request.COOKIES["csrftoken"] = "a" * 32
    middleware.process_request(page_request)
    token = token_for(page_request)
    response = middleware.process_response(page_request, HttpResponse())
    cookie = response.cookies["csrftoken"].value
    assert cookie == ("a" * 32 if has_secret else page_request.META["CSRF_COOKIE"])

    post = RequestFactory().post(
        "/", {"csrfmiddlewaretoken": token}, headers={"Origin": "http://testserver"}
    )
    post.COOKIES["csrftoken"] = cookie
    middleware.process_request(post)
    assert middleware.process_view(post, lambda request: None, (), {}) is None  # accepted
    forged = RequestFactory().post(
        "/", {"csrfmiddlewaretoken": token_for(RequestFactory().get("/"))}
    )
    forged.COOKIES["csrftoken"] = cookie
    middleware.process_request(forged)
    assert middleware.process_view(forged, lambda request: None, (), {}).status_code == 403


def test_every_character_is_as_likely():
    """Rejection sampling, not a reduction with a bias: over 62,000 draws each of the 62
    characters comes about 1,000 times (a bias toward the first 8, as ``byte % 62`` over every
    byte would give, makes them about 1,290 each)."""
    counts = collections.Counter(random_indices(62_000))
    assert set(counts) == set(range(62))
    assert max(counts.values()) < 1_150 and min(counts.values()) > 850
    first_eight = sum(counts[i] for i in range(8)) / 8
    assert first_eight < 1_100
