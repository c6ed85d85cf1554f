"""The Open Badges 3.0 credential of a certificate, and the revocation list that goes with it.

A credential is a W3C verifiable credential (``OpenBadgeCredential``) secured with an embedded
Data Integrity proof (``eddsa-rdfc-2022``) by openbadgeslib, signed with the deployment's key
(``signing``); its issuer is that key's ``did:key``. It says what the verification page says
and no more: the name the learner chose (or, without one, the certificate's code as an
identifier), the course as the achievement, when it was issued, and where its status is.

Revocation uses a W3C Bitstring Status List: each certificate owns one random bit
(``Certificate.status_index``) of a 131072-bit list served, signed as a VC-JWT, at
``/certificates/status/revocation/``. The list is built from the database on each request
(one query) and valid for a day, so a copy replayed later is refused; revoking a certificate
sets its bit for the next request.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openbadgeslib.ob3 import (
    Achievement,
    Issuer,
    OB3LdpSigner,
    OpenBadgeCredential,
    build_status_list_credential,
    sign_status_list_credential,
    status_entry,
)
from openbadgeslib.ob3.credential import IdentityObject

from .models import Certificate
from .signing import issuer_did, private_key_pem, verification_method

# How long a served revocation list is valid: a verifier refuses an older copy.
STATUS_LIST_VALIDITY = datetime.timedelta(days=1)
ISSUER_NAME = "Generalist vs specialist courses"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def status_list_url() -> str:
    return absolute(reverse("certificates:status_list"))


def unsigned_credential(certificate: Certificate):
    """The certificate as an ``OpenBadgeCredential``, before signing."""
    if certificate.display_name:
        identity = IdentityObject(
            identity_hash=certificate.display_name, identity_type="name", hashed=False
        )
    else:
        identity = IdentityObject(
            identity_hash=certificate.code, identity_type="identifier", hashed=False
        )
    course_url = absolute(reverse("courses:overview", kwargs={"course": certificate.course_slug}))
    return OpenBadgeCredential(
        issuer=Issuer(id=issuer_did(), name=ISSUER_NAME, url=absolute("/")),
        recipient_id=None,
        identifiers=[identity],
        achievement=Achievement(
            id=course_url,
            name=certificate.course_title,
            description=f"Completed the course {certificate.course_title}.",
            criteria_narrative="Every published lesson of the course completed and every "
            "published quiz passed.",
        ),
        id=absolute(certificate.get_absolute_url()),
        name=f"Certificate of completion: {certificate.course_title}",
        issuance_date=certificate.issued_at,
        credential_status=[status_entry(status_list_url(), "revocation", certificate.status_index)],
    )


def signed_credential(certificate: Certificate) -> dict:
    """The credential with its Data Integrity proof, ready to serve as JSON."""
    signer = OB3LdpSigner(private_key_pem(), verification_method=verification_method())
    return signer.sign(unsigned_credential(certificate))


def revoked_indices() -> list[int]:
    return list(
        Certificate.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True)
    )


def signed_status_list(*, now: datetime.datetime | None = None) -> str:
    """The revocation list as a signed VC-JWT, valid for ``STATUS_LIST_VALIDITY``."""
    now = now or timezone.now()
    document = build_status_list_credential(
        issuer_did(),
        status_list_url(),
        "revocation",
        revoked_indices(),
        size_bits=Certificate.STATUS_LIST_BITS,
        issued=now,
        valid_until=now + STATUS_LIST_VALIDITY,
    )
    return sign_status_list_credential(document, private_key_pem(), "EdDSA")
