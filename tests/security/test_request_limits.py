"""Oversized requests get Django's 400 page with a clear message, never a 500, and save nothing.

DATA_UPLOAD_MAX_MEMORY_SIZE caps ordinary bodies; config.security.RefuseOversizedUploads caps
multipart bodies too, whose file parts Django would otherwise stream to disk.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_off")]
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
MESSAGE = "That request could not be understood"


@pytest.fixture
def debug_off():
    # With debug on Django shows its technical page; production shows templates/400.html.
    with override_settings(DEBUG=False):
        yield


@pytest.fixture(params=[False, True], ids=["csrf-relaxed", "csrf-enforced"])
def any_client(request):
    """A client as a browser is (CSRF cookie from a first visit, checks enforced) and a plain one."""
    client = Client(enforce_csrf_checks=request.param)
    if request.param:
        client.get(reverse("login"))  # the middleware then reads the body to find the token
    return client


def assert_friendly_400(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert MESSAGE in body
    assert "too large" in body
    assert '<main id="main"' in body


def test_the_limit_is_half_a_megabyte():
    assert LIMIT == 512 * 1024


def test_a_form_body_over_the_limit_is_refused(any_client):
    response = any_client.post(reverse("login"), {"username": "x", "password": "y" * (LIMIT + 1)})
    assert_friendly_400(response)


def test_a_raw_body_over_the_limit_is_refused(any_client):
    response = any_client.post(
        reverse("login"), data=b"a" * (LIMIT + 1), content_type="application/x-www-form-urlencoded"
    )
    assert_friendly_400(response)


def test_a_multipart_body_with_a_large_file_is_refused(any_client):
    upload = SimpleUploadedFile("big.bin", b"\0" * (LIMIT + 1))
    response = any_client.post(reverse("login"), {"username": "x", "password": "y", "file": upload})
    assert_friendly_400(response)


def test_a_multipart_body_with_many_small_files_is_refused(any_client):
    files = {f"file{n}": SimpleUploadedFile(f"f{n}.bin", b"\0" * 60_000) for n in range(10)}
    response = any_client.post(reverse("login"), {"username": "x", **files})
    assert_friendly_400(response)


def test_too_many_fields_are_refused(client):
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("login"), fields)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_large_body_under_the_limit_is_handled_normally(client):
    response = client.post(reverse("login"), {"username": "x", "password": "y" * (LIMIT - 1024)})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_small_multipart_body_is_handled_normally(client):
    upload = SimpleUploadedFile("small.txt", b"hello")
    response = client.post(reverse("login"), {"username": "x", "password": "y", "file": upload})
    assert response.status_code == 200


def test_an_oversized_sign_up_creates_nobody(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "bulky",
            "email": "bulky@example.com",
            "password1": "Clinical-reasoning-2026!",
            "password2": "Clinical-reasoning-2026!",
            "padding": "z" * (LIMIT + 1),
        },
    )
    assert_friendly_400(response)
    assert not get_user_model().objects.filter(username="bulky").exists()
