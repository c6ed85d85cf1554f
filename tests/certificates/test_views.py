"""The public pages of a certificate: verification, not found, caching (certificates/views.py)."""

import pytest
from django.test import override_settings

from certificates.services import revoke

from .conftest import NAME

pytestmark = pytest.mark.django_db


def test_the_verification_page_shows_who_what_and_when_to_anyone(client, certificate):
    response = client.get(f"/certificates/{certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificate verified" in page and "Valid" in page
    assert NAME in page and "Clinical documentation AI" in page
    assert certificate.code in page
    assert f"/certificates/{certificate.code}/certificate.pdf" in page
    assert f"/certificates/{certificate.code}/credential.json" in page


def test_the_page_reveals_no_username_or_email(client, certificate, holder):
    page = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert holder.username not in page.replace(NAME, "")
    assert holder.email not in page and "@" not in page.replace("&#x27;", "")


def test_a_revoked_certificate_says_so_and_gives_out_nothing(client, certificate, make_user):
    revoke(certificate=certificate, by=make_user("registrar"), reason="Shared account.")
    response = client.get(f"/certificates/{certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate was revoked" in page and "Shared account." not in page
    assert "certificate.pdf" not in page
    for tail in ("certificate.pdf", "credential.json"):
        assert client.get(f"/certificates/{certificate.code}/{tail}").status_code == 410


@pytest.mark.parametrize(
    "code", ["AAAAAAAAAAAAAAAAAAAAAA", "short", "not%20a%20code", "x" * 200, "..%2F..%2Fetc"]
)
def test_an_unknown_or_malformed_code_is_plainly_not_found(client, code):
    for tail in ("", "certificate.pdf", "credential.json"):
        response = client.get(f"/certificates/{code}/{tail}")
        assert response.status_code == 404, (code, tail)
        if response.get("Content-Type", "").startswith("text/html") and tail == "":
            assert "not found" in response.content.decode().lower()


def test_the_not_found_page_uses_the_site_layout(client):
    response = client.get("/certificates/AAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Certificate not found" in page and 'class="site-header' in page


def test_the_page_reads_the_certificate_once(client, certificate, django_assert_max_num_queries):
    # The certificate, and the content version when the page cache is on.
    with django_assert_max_num_queries(2):
        client.get(f"/certificates/{certificate.code}/")


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_cached_page_shows_a_revocation_at_the_next_request(client, certificate, make_user):
    url = f"/certificates/{certificate.code}/"
    assert "Certificate verified" in client.get(url).content.decode()
    assert "Certificate verified" in client.get(url).content.decode()  # from the cache
    revoke(certificate=certificate, by=make_user("registrar"), reason="Shared account.")
    assert "This certificate was revoked" in client.get(url).content.decode()


@override_settings(PAGE_CACHE_SECONDS=600)
def test_a_cached_page_is_served_without_rendering(client, certificate, django_assert_num_queries):
    url = f"/certificates/{certificate.code}/"
    client.get(url)
    # The content version and the certificate (for its state): nothing more to render it.
    with django_assert_num_queries(2):
        response = client.get(url)
    assert NAME in response.content.decode()


def test_downloads_may_be_kept_by_shared_caches_for_a_minute_only(client, certificate):
    for tail in ("certificate.pdf", "credential.json"):
        response = client.get(f"/certificates/{certificate.code}/{tail}")
        assert response.status_code == 200
        assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    response = client.get("/certificates/status/revocation/")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}


def test_the_verification_page_is_never_stored_publicly(client, certificate):
    # It carries the CSRF token (the page's forms and htmx), so never "public".
    response = client.get(f"/certificates/{certificate.code}/")
    assert "public" not in response.get("Cache-Control", "")


def test_post_is_refused(client, certificate):
    assert client.post(f"/certificates/{certificate.code}/").status_code == 405
