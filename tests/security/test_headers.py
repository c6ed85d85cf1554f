"""Security headers, redirects and cookies as production sends them.

Each test runs with ``override_settings(**production_settings())``: the settings that
config.settings gives under the documented production environment (debug off, behind a TLS
proxy that sets X-Forwarded-Proto), read in a fresh interpreter. Requests arrive as the proxy
forwards them: Host courses.example.org, X-Forwarded-Proto https.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .production import HOST, production_settings

pytestmark = pytest.mark.django_db
HTTPS = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
HTTP = {"HTTP_HOST": HOST}
ONE_YEAR = 31536000


@pytest.fixture(autouse=True)
def production():
    with override_settings(**production_settings()):
        yield


def test_production_settings_turn_debug_off():
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.ALLOWED_HOSTS == [HOST]


def test_plain_http_is_redirected_to_https(client):
    response = client.get("/courses/?x=1", **HTTP)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/courses/?x=1"


def test_health_check_answers_over_plain_http_for_load_balancers(client):
    response = client.get(reverse("healthz"), **HTTP)
    assert response.status_code == 200


def test_an_unknown_host_is_refused(client):
    response = client.get("/", HTTP_HOST="evil.example", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/no/such/page/"])
def test_pages_carry_every_security_header(client, path):
    response = client.get(path, **HTTPS)
    assert response.status_code in (200, 404)
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_hsts_is_only_sent_over_https(client):
    response = client.get(reverse("healthz"), **HTTP)
    assert "Strict-Transport-Security" not in response


def test_csrf_cookie_is_host_prefixed_secure_and_lax(client):
    response = client.get(reverse("login"), **HTTPS)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""  # the __Host- prefix forbids a Domain attribute
    assert "csrftoken" not in response.cookies


def test_session_cookie_is_host_prefixed_secure_httponly_and_lax(client, learner, password):
    response = client.post(
        reverse("login"), {"username": learner.username, "password": password}, **HTTPS
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""
    assert "sessionid" not in response.cookies


def test_log_in_works_with_csrf_enforced_behind_the_proxy(learner, password):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"), **HTTPS)
    token = client.cookies["__Host-csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": learner.username, "password": password, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"https://{HOST}",
        **HTTPS,
    )
    assert response.status_code == 302
    assert "__Host-sessionid" in response.cookies


def test_a_post_from_another_origin_is_refused(learner, password):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"), **HTTPS)
    token = client.cookies["__Host-csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": learner.username, "password": password, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
        **HTTPS,
    )
    assert response.status_code == 403
    assert "__Host-sessionid" not in response.cookies
