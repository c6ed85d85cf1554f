"""The course overview's certificate section (certificates/overview.py)."""

import pytest
from django.test import override_settings

from certificates.services import issue_missing, revoke

pytestmark = pytest.mark.django_db

OVERVIEW = "/courses/clinical-notes/"


def section(page: str) -> str:
    if 'id="certificate-heading"' not in page:
        return ""
    return page.split('id="certificate-heading"')[1].split("</section>")[0]


def test_a_holder_sees_the_links_to_their_certificate(client, certificate, holder):
    client.force_login(holder)
    found = section(client.get(OVERVIEW).content.decode())
    for url in (
        f"/certificates/{certificate.code}/",
        f"/certificates/{certificate.code}/certificate.pdf",
        f"/certificates/{certificate.code}/credential.json",
    ):
        assert f'href="{url}"' in found


def test_a_learner_who_just_completed_is_told_the_certificate_is_on_its_way(client, holder, course, complete):
    client.force_login(holder)
    complete(holder, course, issue=False)  # the minute's task has not run yet
    found = section(client.get(OVERVIEW).content.decode())
    assert "Your certificate is being issued" in found and 'href="/progress/"' in found
    issue_missing()
    found = section(client.get(OVERVIEW).content.decode())
    assert "being issued" not in found and "your certificate was issued on" in found


def test_visitors_and_other_learners_see_no_section(client, certificate, make_user):
    assert section(client.get(OVERVIEW).content.decode()) == ""
    client.force_login(make_user("other"))
    assert section(client.get(OVERVIEW).content.decode()) == ""


@override_settings(PERSONAL_PAGE_SECONDS=600)
def test_the_kept_overview_shows_a_new_certificate_and_its_revocation_at_once(
    client, holder, course, complete, make_user
):
    client.force_login(holder)
    complete(holder, course, issue=False)
    assert "being issued" in section(client.get(OVERVIEW).content.decode())
    issue_missing()
    assert "your certificate was issued" in section(client.get(OVERVIEW).content.decode())
    revoke(certificate=holder.certificates.get(), by=make_user("registrar"), reason="Test.")
    found = section(client.get(OVERVIEW).content.decode())
    assert "was revoked" in found and "certificate.pdf" not in found
