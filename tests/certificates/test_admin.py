"""Certificates in the admin: read-only, revoked and reinstated with a reason (certificates/admin.py)."""

import pytest

from certificates.models import Certificate, CertificateEvent

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/certificates/certificate/"


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user("registrar", is_staff=True, is_superuser=True))
    return client


def revoke(client, certificate, **extra):
    data = {"action": "revoke", "_selected_action": [certificate.pk], **extra}
    return client.post(CHANGELIST, data)


def test_revoking_asks_for_a_reason_first(admin_client_, certificate):
    response = revoke(admin_client_, certificate)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are about to revoke 1 certificate" in page and 'name="reason"' in page
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_an_empty_reason_is_refused_with_a_message(admin_client_, certificate):
    response = revoke(admin_client_, certificate, confirm="1", reason="   ")
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked and not CertificateEvent.objects.exists()


def test_a_reason_revokes_and_is_audited(admin_client_, certificate):
    response = revoke(admin_client_, certificate, confirm="1", reason="Shared account.")
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by.username == "registrar"
    event = CertificateEvent.objects.get()
    assert (event.action, event.by_name, event.reason) == (
        "revoked",
        "registrar",
        "Shared account.",
    )
    change = admin_client_.get(f"{CHANGELIST}{certificate.pk}/change/").content.decode()
    assert "Shared account." in change and "registrar" in change


def test_reinstating_is_audited_too(admin_client_, certificate):
    revoke(admin_client_, certificate, confirm="1", reason="Shared account.")
    admin_client_.post(
        CHANGELIST,
        {"action": "reinstate", "_selected_action": [certificate.pk], "confirm": "1",
         "reason": "Confirmed by the employer."},
    )  # fmt: skip
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert list(CertificateEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "revoked", "reinstated",
    ]  # fmt: skip


def test_nothing_is_editable_and_nothing_can_be_added_or_deleted(admin_client_, certificate):
    change = admin_client_.get(f"{CHANGELIST}{certificate.pk}/change/").content.decode()
    assert 'name="display_name"' not in change and 'name="course_title"' not in change
    assert admin_client_.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client_.get(f"{CHANGELIST}{certificate.pk}/delete/").status_code == 403


def test_search_by_code_and_name_and_filter_by_status(admin_client_, certificate):
    for query in (certificate.code, "Łukasz"):
        page = admin_client_.get(CHANGELIST, {"q": query}).content.decode()
        assert certificate.code in page
    assert certificate.code not in admin_client_.get(CHANGELIST, {"q": "nobody"}).content.decode()
    assert certificate.code in admin_client_.get(CHANGELIST, {"status": "valid"}).content.decode()
    revoked = admin_client_.get(CHANGELIST, {"status": "revoked"}).content.decode()
    assert certificate.code not in revoked
    assert Certificate.objects.count() == 1
