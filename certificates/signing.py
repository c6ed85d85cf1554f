"""The key certificates' credentials are signed with, and the issuer it makes.

The deployment configures one Ed25519 private key (PEM): ``CERTIFICATE_SIGNING_KEY`` holds it,
or ``CERTIFICATE_SIGNING_KEY_FILE`` names a file holding it. The issuer of every credential
and of the revocation list is the ``did:key`` of its public half, so a verifier needs nothing
from this site to check a signature (rotating the key makes a new issuer: credentials signed
before stay valid under the old one, and the revocation list is signed with the new key).

With debug on and no key, a development key is made once and kept in
``CERTIFICATE_DEV_KEY_FILE`` (under the project directory, ignored by git), so credentials
downloaded while developing stay verifiable across restarts. With debug off and no key the
system check below fails, and signing refuses: production never signs with a made-up key.
"""

from __future__ import annotations

import functools
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from openbadgeslib.ob3 import OB3LdpSigner


class SigningKeyMissing(ImproperlyConfigured):
    """No signing key is configured and debug is off."""


def new_key_pem() -> bytes:
    """A fresh Ed25519 private key as unencrypted PKCS#8 PEM."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def configured_pem() -> bytes | None:
    """The key the deployment configured, or None."""
    if settings.CERTIFICATE_SIGNING_KEY:
        return settings.CERTIFICATE_SIGNING_KEY.strip().encode() + b"\n"
    if settings.CERTIFICATE_SIGNING_KEY_FILE:
        return Path(settings.CERTIFICATE_SIGNING_KEY_FILE).read_bytes()
    return None


def private_key_pem() -> bytes:
    """The signing key: the configured one, or with debug on the development key."""
    pem = configured_pem()
    if pem is not None:
        return pem
    if not settings.DEBUG:
        raise SigningKeyMissing(
            "CERTIFICATE_SIGNING_KEY (or CERTIFICATE_SIGNING_KEY_FILE) is not set: credentials "
            "cannot be signed."
        )
    path = Path(settings.CERTIFICATE_DEV_KEY_FILE)
    if not path.exists():
        path.write_bytes(new_key_pem())
        path.chmod(0o600)
    return path.read_bytes()


@functools.cache
def _issuer_of(pem: bytes) -> tuple[str, str]:
    method = OB3LdpSigner(pem).verification_method
    return method.split("#", 1)[0], method


def issuer_did() -> str:
    """``did:key:z6Mk...``: the issuer every credential and the revocation list name."""
    return _issuer_of(private_key_pem())[0]


def verification_method() -> str:
    """The issuer's key as the proofs name it: ``did:key:z6Mk...#z6Mk...``."""
    return _issuer_of(private_key_pem())[1]


def public_key_pem() -> bytes:
    """The public half of the signing key, as PEM (for verifying in tests and tools)."""
    key = serialization.load_pem_private_key(private_key_pem(), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def check_signing_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: with debug off a valid Ed25519 key must be configured."""
    try:
        pem = configured_pem()
    except OSError as error:
        return [
            checks.Error(
                f"CERTIFICATE_SIGNING_KEY_FILE cannot be read: {error}.", id="certificates.E002"
            )
        ]
    if pem is None:
        if settings.DEBUG:
            return []
        return [
            checks.Error(
                "No certificate signing key: set CERTIFICATE_SIGNING_KEY to an Ed25519 private "
                "key in PEM, or CERTIFICATE_SIGNING_KEY_FILE to a file holding one.",
                hint='python -c "from certificates.signing import new_key_pem; '
                'print(new_key_pem().decode())"',
                id="certificates.E001",
            )
        ]
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        return [
            checks.Error(
                f"The certificate signing key is not a PEM private key: {error}.",
                id="certificates.E003",
            )
        ]
    if not isinstance(key, Ed25519PrivateKey):
        return [
            checks.Error(
                "The certificate signing key must be an Ed25519 key.", id="certificates.E003"
            )
        ]
    return []
