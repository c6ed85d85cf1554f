"""The strict Content-Security-Policy on every page, the admin included, and pages that obey it.

Every URL pattern without parameters is requested as the superuser (who may see every admin
page) and anonymously; so is the admin change form of one object of every registered model.
Each response must carry exactly the issue's policy, and each HTML page must contain nothing
that the policy would block. The browser tests (tests/browser/test_security.py) watch the
same pages for violations in Chromium.
"""

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from .csp import assert_strict_policy, inline_code, policy_nonce
from .roles import ANONYMOUS, SUPERUSER
from .urlmap import url_patterns

pytestmark = pytest.mark.django_db
ROUTES = [r for r in url_patterns() if not r.parameters]


def check_page(response):
    assert "Content-Security-Policy" in response, f"no policy on {response.request['PATH_INFO']}"
    header = response["Content-Security-Policy"]
    assert_strict_policy(header)
    assert "Content-Security-Policy-Report-Only" not in response
    if response.get("Content-Type", "").startswith("text/html"):
        problems = inline_code(response.content.decode(), policy_nonce(header))
        assert problems == [], f"{response.request['PATH_INFO']}: {problems}"


@override_settings(DEBUG=False)
@pytest.mark.parametrize("role", [ANONYMOUS, SUPERUSER])
@pytest.mark.parametrize("route", ROUTES, ids=[r.route or "/" for r in ROUTES])
def test_every_page_carries_the_strict_policy(roles, role, route):
    response = roles.client(role).get(route.path())
    assert response.status_code < 500
    check_page(response)


@override_settings(DEBUG=False)
def test_admin_change_forms_of_every_registered_model_carry_the_strict_policy(roles):
    client = roles.client(SUPERUSER)
    checked = []
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response)
        checked.append(url)
    # The roles fixture makes users, a group and teams, so at least those forms were seen.
    assert len(checked) >= 2, checked


@override_settings(DEBUG=False)
def test_error_pages_carry_the_strict_policy(client):
    check_page(client.get("/no/such/page/"))
    check_page(client.post(reverse("login"), data=b"x" * 600_000, content_type="text/plain"))


def test_the_nonce_is_fresh_on_every_response(client):
    first = policy_nonce(client.get(reverse("login"))["Content-Security-Policy"])
    second = policy_nonce(client.get(reverse("login"))["Content-Security-Policy"])
    assert first and second and first != second


def test_the_page_uses_the_nonce_of_its_own_policy(client):
    response = client.get(reverse("login"))
    nonce = policy_nonce(response["Content-Security-Policy"])
    assert f'nonce="{nonce}"' in response.content.decode()


def test_the_checker_catches_what_the_policy_would_block():
    # Guards the guard: each of these must be reported.
    bad = [
        "<script>alert(1)</script>",
        '<script nonce="other">alert(1)</script>',
        '<p style="color:red">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<img src="x.png" onerror="alert(1)">',
        "<style>p{}</style>",
    ]
    for html in bad:
        assert inline_code(html, "right"), html
    good = '<script nonce="right">x()</script><script src="/s.js"></script><script type="application/json">{}</script>'
    assert inline_code(good, "right") == []
