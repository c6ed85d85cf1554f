"""Responses compressed with gzip for clients that accept it, except pages holding a secret.

A signed-in lesson page is 42 kB of HTML and 12 kB gzipped (benchmarks/README.md, "Issue 20:
SQLite in WAL mode, compressed pages...", has the figures). ``CompressionMiddleware`` is
Django's GZipMiddleware, listed just below WhiteNoise in MIDDLEWARE: static files never reach it
(WhiteNoise answers them with its own pre-compressed copies), and every other middleware and
the page cache (a view decorator, which fills in a cached page's token and nonce) have finished
with the body before it is compressed. It compresses text (HTML, CSV, JSON, plain text) and
leaves any other type, and any response already encoded (the team CSV, kept deflated: ``Deflated``), alone.

**BREACH.** An attacker who can make a victim's browser request a page many times, with input
of theirs reflected in it (a query string, the "Log in" link's ``next``), and who can watch the
compressed length on the wire, can guess a secret in the same page a character at a time. Two
defences apply:

- Django's GZipMiddleware adds a random number of bytes to every response it compresses
  (``max_random_bytes = 100`` on the class since Django 4.2: ``compress_string`` in
  django/utils/text.py writes 0-99 bytes into the gzip header's FNAME field, chosen by
  ``secrets.randbelow``), which makes length measurements noisy, and dearer, not impossible.
  Ours does the same (``compress_string`` below, Django's at a cheaper level);
- the CSRF token is masked with a new random value in every response, and the CSP nonce is new
  each time, so neither can be guessed this way.

Pages that show a lasting secret are therefore not compressed at all: their views are wrapped
in ``never_compressed``. They are the team dashboard and the members page (the team's invite
link, for managers), the account page and the mail preferences (the person's address), and
the two pages reached through a secret in their own URL (the invite's join page, a mail's
unsubscribe link: an attacker who lacks that secret cannot request them, but they are rare
pages and cost nothing to leave plain). The admin (invite links, addresses, and the search
terms and filters it echoes) is left plain here by its URL namespace, whatever its views.
None of these is read often enough for its size to matter.

**Kept pages, compressed once.** A page from the page caches (``config.page_cache.serve``) is
the same bytes every time but for its CSRF token and CSP nonce. Its fixed parts, between
them, are deflated once when it is kept (``deflated_parts``), each ended with a full flush so
that it stands alone; a response adds its own token and nonce as *stored* (uncompressed)
blocks and joins the parts (``spliced``): a 42 kB lesson costs about 0.02 ms instead of
0.25-0.4 ms. Each fixed part is compressed on its own and the token not at all, so no part can
be matched against another: the token shares no compression context with anything an attacker
may have put in the page.
"""

import gzip
import re
import secrets
import struct
import zlib
from dataclasses import dataclass
from functools import wraps

from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

# Content types worth compressing; anything else (an image, a file already compressed) is not.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


def never_compressed(view):
    """Mark the view's responses as never to be compressed (they hold a secret: see above)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.never_compressed = True
        return response

    return wrapped


# Level 1: a 42 kB lesson page costs 0.22 ms of CPU against 0.85 ms at Django's 6, for 12.5 kB
# instead of 10.7 kB (benchmarks/README.md, "HTML compression"): the server is CPU-bound.
COMPRESS_LEVEL = 1


def compress_string(content: bytes, *, max_random_bytes: int) -> bytes:
    """Django's ``compress_string`` (django/utils/text.py) at ``COMPRESS_LEVEL``.

    The random padding is Django's, byte for byte: 0 to ``max_random_bytes - 1`` bytes of file
    name in the gzip header (FNAME), which every gzip reader skips.
    """
    compressed = gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    padding = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + padding + compressed[10:]


def _deflate(data: bytes) -> bytes:
    """``data`` as raw deflate blocks that end on a byte, with no final block: parts made so
    may be joined, and ended with ``_LAST_BLOCK``."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


_LAST_BLOCK = b"\x03\x00"  # an empty final block (what a compressor's Z_FINISH writes)
_STORED_MOST = 0xFFFF  # the most bytes one stored block holds


def _stored(data: bytes) -> bytes:
    """``data`` as raw deflate *stored* blocks, not final: the bytes as they are, each block
    headed by a zero byte (not final, no compression, padded to the byte) and its length and
    the length's complement. For a token or a nonce, a few dozen random bytes that would not
    compress anyway, this costs nothing next to setting up a compressor (about 3 µs each), and
    keeps the secret out of any compression at all."""
    if len(data) <= _STORED_MOST:  # a token or a nonce: one block
        return struct.pack("<BHH", 0, len(data), len(data) ^ 0xFFFF) + data
    return _stored(data[:_STORED_MOST]) + _stored(data[_STORED_MOST:])


def deflated_parts(body: bytes, marks: list[bytes]) -> tuple[tuple[bytes, bytes | None], ...]:
    """``body`` cut at every occurrence of ``marks``: each fixed part with its deflated bytes,
    each mark with None (what stands there is stored per response, ``spliced``)."""
    pattern = re.compile(b"(" + b"|".join(re.escape(mark) for mark in marks) + b")")
    pieces = pattern.split(body)
    # re.split with a group alternates fixed text and the marks it cut at.
    return tuple(
        (piece, _deflate(piece) if number % 2 == 0 else None)
        for number, piece in enumerate(pieces)
        if piece
    )


def spliced(parts: list[tuple[bytes, bytes | None]], *, max_random_bytes: int) -> bytes:
    """A gzip member of the parts in order, as ``compress_string`` pads it: fixed parts as they
    were deflated when kept, the others (a token, a nonce) stored as they are."""
    crc, size, blocks = 0, 0, []
    for raw, deflated in parts:
        crc = zlib.crc32(raw, crc)
        size += len(raw)
        blocks.append(deflated if deflated is not None else _stored(raw))
    return _gzip_member(blocks, crc, size, max_random_bytes=max_random_bytes)


def _gzip_member(blocks: list[bytes], crc: int, size: int, *, max_random_bytes: int) -> bytes:
    """A gzip member of deflate ``blocks`` (none final) whose uncompressed bytes have ``crc``
    and ``size``, its header padded as ``compress_string`` pads it."""
    padding = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    # ID1 ID2 CM=deflate FLG=FNAME MTIME=0 XFL=4 (fastest) OS=unknown, as gzip.compress writes.
    header = b"\x1f\x8b\x08" + bytes([gzip.FNAME]) + b"\x00\x00\x00\x00\x04\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return b"".join([header, padding, *blocks, _LAST_BLOCK, trailer])


@dataclass(frozen=True)
class Deflated:
    """A body deflated once, to be sent many times (``deflated_response``): kept in a cache, it
    is a thirtieth of the size of a CSV's text, and no request compresses it again."""

    blocks: bytes  # raw deflate blocks, none final (``_deflate``)
    crc: int
    size: int

    @classmethod
    def of(cls, body: bytes) -> "Deflated":
        return cls(blocks=_deflate(body), crc=zlib.crc32(body), size=len(body))

    def inflated(self) -> bytes:
        return zlib.decompress(self.blocks + _LAST_BLOCK, -zlib.MAX_WBITS)


def deflated_response(request, body: Deflated, **kwargs) -> HttpResponse:
    """A response of ``body`` (``kwargs`` as HttpResponse takes them): gzipped, padded as the
    middleware pads, for a client that accepts it; inflated for one that does not."""
    if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        gzipped = _gzip_member(
            [body.blocks], body.crc, body.size, max_random_bytes=GZipMiddleware.max_random_bytes
        )
        response = HttpResponse(gzipped, **kwargs)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body.inflated(), **kwargs)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def is_admin(request) -> bool:
    """Whether the request was routed to Django's admin (whose views we do not decorate)."""
    return getattr(request.resolver_match, "namespace", "") == "admin"


class CompressionMiddleware(GZipMiddleware):
    """GZipMiddleware for text responses whose view did not say ``never_compressed``."""

    def process_response(self, request, response):
        if getattr(response, "never_compressed", False) or is_admin(request):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        if response.streaming:  # Django's own way, at its level 6
            return super().process_response(request, response)
        # Django's steps for a whole body (django/middleware/gzip.py), at COMPRESS_LEVEL.
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        parts = getattr(response, "deflated_parts", None)
        if parts is not None and sum(len(raw) for raw, _ in parts) == len(response.content):
            compressed = spliced(parts, max_random_bytes=self.max_random_bytes)
        else:  # rendered now (or changed since it was filled in)
            compressed = compress_string(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # a strong ETag names the plain bytes
        response.headers["Content-Encoding"] = "gzip"
        return response
