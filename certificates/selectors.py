"""Reads of certificates: one by its code, for the public pages. (/progress/ reads a learner's
certificates with its courses: ``progress.selectors.learner``.)"""

from __future__ import annotations

import re

from .models import Certificate

# What ``secrets.token_urlsafe`` makes: anything else is not a code and is not looked up.
CODE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def by_code(code: str) -> Certificate | None:
    """The certificate with ``code``, or None (for a malformed code, without a query)."""
    if not CODE.match(code):
        return None
    return Certificate.objects.filter(code=code).first()


def state_of(certificate: Certificate | None) -> str:
    """What the verification page of ``certificate`` shows that can change: its cache key."""
    if certificate is None:
        return "none"
    return f"{certificate.pk}:{certificate.updated_at.isoformat()}:{certificate.is_revoked}"
