"""The Open Badges 3.0 credential and the revocation list, checked with openbadgeslib's
verifier (certificates/credentials.py, certificates/signing.py)."""

import copy
import json
from urllib.parse import urlsplit

import pytest
from django.core import checks
from django.test import override_settings
from openbadgeslib.ob3 import OB3LdpVerifier, OB3VerificationError

from certificates import signing
from certificates.services import reinstate, revoke

from .conftest import NAME

pytestmark = pytest.mark.django_db


def fetch(client):
    """A downloader for the verifier that asks the test client (the site is not served)."""

    def download(url):
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        return response.content

    return download


def credential_of(client, certificate) -> dict:
    response = client.get(f"/certificates/{certificate.code}/credential.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_credential_verifies_with_its_status(client, certificate):
    document = credential_of(client, certificate)
    verified = OB3LdpVerifier.for_issuer_did(signing.issuer_did()).verify(
        document, check_status=True, download=fetch(client)
    )
    assert verified.achievement.name == "Clinical documentation AI"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["issuer"]["id"].startswith("did:key:z6Mk")
    assert "OpenBadgeCredential" in document["type"]


def test_the_credential_names_the_learner_as_the_page_does_and_nothing_more(
    client, certificate, holder
):
    document = credential_of(client, certificate)
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == NAME
    text = json.dumps(document)
    assert holder.username not in text.replace(json.dumps(NAME)[1:-1], "")
    assert holder.email not in text
    assert document["credentialStatus"]["statusListIndex"] == str(certificate.status_index)


def test_a_tampered_credential_is_refused(client, certificate):
    document = credential_of(client, certificate)
    for change in ("name", "course"):
        tampered = copy.deepcopy(document)
        if change == "name":
            tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
        else:
            tampered["credentialSubject"]["achievement"]["name"] = "Medical imaging AI"
        with pytest.raises(OB3VerificationError):
            OB3LdpVerifier(signing.public_key_pem()).verify(tampered)


def test_a_revoked_credential_is_refused_and_a_reinstated_one_accepted(
    client, certificate, make_user
):
    document = credential_of(client, certificate)
    registrar = make_user("registrar")
    revoke(certificate=certificate, by=registrar, reason="Shared account.")
    verifier = OB3LdpVerifier(signing.public_key_pem())
    with pytest.raises(OB3VerificationError, match="revocation. is set"):
        verifier.verify(document, check_status=True, download=fetch(client))
    reinstate(certificate=certificate, by=registrar, reason="Confirmed.")
    verifier.verify(document, check_status=True, download=fetch(client))


def test_the_status_list_is_a_signed_jwt_of_the_same_issuer(client, certificate):
    response = client.get("/certificates/status/revocation/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response.content.count(b".") == 2


def test_debug_off_without_a_key_fails_the_system_check_and_signing(settings):
    settings.DEBUG = False
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    errors = signing.check_signing_key()
    assert [error.id for error in errors] == ["certificates.E001"]
    assert all(error.level == checks.ERROR for error in errors)
    with pytest.raises(signing.SigningKeyMissing):
        signing.private_key_pem()


def test_a_key_in_a_file_is_read(settings, tmp_path):
    pem = signing.new_key_pem()
    (tmp_path / "key.pem").write_bytes(pem)
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    assert signing.private_key_pem() == pem
    assert signing.check_signing_key() == []


def test_a_key_that_is_not_ed25519_fails_the_check(settings):
    settings.CERTIFICATE_SIGNING_KEY = (
        "-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----"
    )
    assert [error.id for error in signing.check_signing_key()] == ["certificates.E003"]


def test_with_debug_on_and_no_key_a_development_key_is_made_once(settings, tmp_path):
    settings.DEBUG = True
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    settings.CERTIFICATE_DEV_KEY_FILE = tmp_path / "dev.pem"
    first = signing.private_key_pem()
    assert signing.private_key_pem() == first
    assert (tmp_path / "dev.pem").stat().st_mode & 0o777 == 0o600


@override_settings(DEBUG=False)
def test_the_deployment_check_passes_with_a_key():
    assert signing.check_signing_key() == []
