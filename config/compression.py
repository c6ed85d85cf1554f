"""Responses compressed with gzip for clients that accept it, except pages holding a secret.

A signed-in lesson page is about 42 kB of HTML; gzipped it is a fraction of that
(benchmarks/README.md, "HTML compression", has the figures). ``CompressionMiddleware`` is
Django's GZipMiddleware, listed just below WhiteNoise in MIDDLEWARE: static files never reach it
(WhiteNoise answers them with its own pre-compressed copies), and every other middleware and
the page cache (a view decorator, which fills in a cached page's token and nonce) have finished
with the body before it is compressed. It compresses text (HTML, CSV, JSON, plain text) and
leaves any other type, and any response already encoded (the CSV's own ``gzip_page``), alone.

**BREACH.** An attacker who can make a victim's browser request a page many times, with input
of theirs reflected in it (a query string, the "Log in" link's ``next``), and who can watch the
compressed length on the wire, can guess a secret in the same page a character at a time. Two
defences apply:

- Django's GZipMiddleware adds a random number of bytes to every response it compresses
  (``max_random_bytes = 100`` on the class since Django 4.2: ``compress_string`` in
  django/utils/text.py writes 0-99 bytes into the gzip header's FNAME field, chosen by
  ``secrets.randbelow``), which makes length measurements noisy, and dearer, not impossible;
- the CSRF token is masked with a new random value in every response, and the CSP nonce is new
  each time, so neither can be guessed this way.

Pages that show a lasting secret are therefore not compressed at all: their views are wrapped
in ``never_compressed``. They are the team dashboard and the members page (the team's invite
link, for managers), the mail preferences (the person's address), and the two pages reached
through a secret in their own URL (the invite's join page, a mail's unsubscribe link): an
attacker who lacks that secret cannot request them, but they are rare pages and cost nothing
to leave plain. None of these is read often enough for its size to matter.
"""

from functools import wraps

from django.middleware.gzip import GZipMiddleware

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


class CompressionMiddleware(GZipMiddleware):
    """GZipMiddleware for text responses whose view did not say ``never_compressed``."""

    def process_response(self, request, response):
        if getattr(response, "never_compressed", False):
            return response
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
