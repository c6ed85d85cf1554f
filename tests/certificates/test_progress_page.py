"""/progress/ lists the learner's certificates, and its kept copy moves with them at once."""

import pytest
from django.test import override_settings

from certificates.services import revoke

pytestmark = pytest.mark.django_db


@override_settings(PERSONAL_PAGE_SECONDS=600)
def test_progress_shows_a_new_certificate_and_a_revocation_at_once(
    client, holder, course, complete, make_user
):
    client.force_login(holder)
    page = client.get("/progress/").content.decode()
    assert "Certificates" not in page
    complete(holder, course)
    certificate = holder.certificates.get()
    page = client.get("/progress/").content.decode()
    assert 'id="certificates-heading"' in page
    for url in (
        f"/certificates/{certificate.code}/",
        f"/certificates/{certificate.code}/certificate.pdf",
        f"/certificates/{certificate.code}/credential.json",
    ):
        assert f'href="{url}"' in page
    assert "badge-ok" in page.split('id="certificates-heading"')[1].split("</section>")[0]
    revoke(certificate=certificate, by=make_user("registrar"), reason="Shared account.")
    section = client.get("/progress/").content.decode().split('id="certificates-heading"')[1]
    section = section.split("</section>")[0]
    assert "Revoked" in section and "certificate.pdf" not in section


def test_another_learners_certificate_is_not_listed(client, certificate, make_user):
    client.force_login(make_user("other"))
    page = client.get("/progress/").content.decode()
    assert certificate.code not in page and 'id="certificates-heading"' not in page
