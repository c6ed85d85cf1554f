"""Site-wide pages: error pages, the base template's landmarks and the settings guard."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_context(client):
    from config.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_base_template_has_landmarks_skip_link_and_live_region(client):
    body = client.get("/").content.decode()
    for fragment in ('<header', '<nav aria-label="Main"', '<main id="main"', "<footer",
                     'class="skip-link" href="#main"', 'aria-live="polite"', "hx-headers="):
        assert fragment in body


def test_base_template_loads_htmx_from_our_static_files_with_no_inline_code(client):
    body = client.get("/").content.decode()
    assert "/static/django-htmx/" in body or "/static/django_htmx/" in body
    assert "cdn" not in body.lower()
    assert "style=" not in body


def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "'nonce-" in policy


def test_start_up_without_a_secret_key_fails_clearly_with_debug_off():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_no_template_marks_stored_html_safe_by_hand():
    """Stored, rendered Markdown reaches pages only through the `sanitised` filter."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "_html|safe" in line.replace(" ", "")
    ]
    assert offenders == []
