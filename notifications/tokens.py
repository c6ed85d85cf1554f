"""Unsubscribe links: a token that names a person and a kind of mail, signed with the secret key.

The token is ``django.core.signing`` with a salt of its own, so a signature made for anything
else on the site (a session, a password-reset link) is not valid here. It does not expire:
an unsubscribe link in a mail from last year must still work. Anyone holding the link may use
it without logging in (RFC 8058's one-click unsubscribe); it does nothing but turn that kind
of mail off for that person.
"""

from dataclasses import dataclass

from django.core import signing

from .models import Kind

SALT = "notifications.unsubscribe"


class BadToken(Exception):
    """The token was not made by this site (forged, cut short, or for something else)."""


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: Kind


def make_token(*, user_id: int, kind: str) -> str:
    return signing.dumps([user_id, Kind(kind).value], salt=SALT, compress=False)


def read_token(token: str) -> Unsubscribe:
    """What ``token`` asks for; BadToken unless this site signed it, for a known kind."""
    try:
        user_id, kind = signing.loads(token, salt=SALT)
        return Unsubscribe(user_id=int(user_id), kind=Kind(kind))
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken(str(error)) from error
