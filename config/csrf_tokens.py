"""CSRF tokens for kept pages, drawn with one read of the system's random source.

Django's ``get_token`` makes each token from a 32-character mask and, for a visitor without
the CSRF cookie, a new 32-character secret, drawing every character with ``secrets.choice``:
one read of the system's random source per character, 64 for a first visit, about 80 µs of the
0.5 ms a kept page costs (``benchmarks/README.md``, "Anonymous pages"). ``token_for`` gives
the same token from one ``secrets.token_bytes`` call: the same alphabet, lengths and masking
as Django's (``django.middleware.csrf``), the same bookkeeping in ``request.META`` (the secret
in ``CSRF_COOKIE``, ``CSRF_COOKIE_NEEDS_UPDATE`` so the middleware sets or renews the cookie),
and characters as uniform as ``secrets.choice``'s: a byte is used only below the largest
multiple of the alphabet's size (rejection sampling), never reduced with a bias.

Django's ``CsrfViewMiddleware`` checks these tokens as its own (tests/config/test_csrf_tokens.py
posts them through it), so a page may mix them with ``{% csrf_token %}``'s.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

ALPHABET = CSRF_ALLOWED_CHARS
_INDEX = {char: number for number, char in enumerate(ALPHABET)}
# Bytes at or past this value are drawn again: 248 = 4 x 62, so every character is as likely.
_UNBIASED = 256 - 256 % len(ALPHABET)


def random_indices(count: int) -> list[int]:
    """``count`` positions in ``ALPHABET``, uniform and independent, from the system's random
    source (a few bytes more than needed per read, so one read nearly always suffices)."""
    indices: list[int] = []
    while len(indices) < count:
        indices += [
            byte % len(ALPHABET) for byte in secrets.token_bytes(count + 8) if byte < _UNBIASED
        ]
    return indices[:count]


def token_for(request) -> str:
    """What ``django.middleware.csrf.get_token(request)`` returns and records, faster: a new
    masked token for the request's CSRF secret, the secret made now if it has none."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        drawn = random_indices(2 * CSRF_SECRET_LENGTH)
        mask, secret = (
            drawn[:CSRF_SECRET_LENGTH],
            "".join(ALPHABET[i] for i in drawn[CSRF_SECRET_LENGTH:]),
        )
        request.META["CSRF_COOKIE"] = secret
    else:
        mask = random_indices(CSRF_SECRET_LENGTH)
    # As get_token: the cookie is sent (set, or renewed) with the response.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    size = len(ALPHABET)
    cipher = "".join(
        ALPHABET[(_INDEX[char] + offset) % size] for char, offset in zip(secret, mask, strict=True)
    )
    return "".join(ALPHABET[offset] for offset in mask) + cipher
