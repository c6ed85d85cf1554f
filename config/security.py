"""Request-level guards that settings.py plugs into Django and django-axes.

``refuse_nul_bytes`` is a middleware: PostgreSQL cannot store or compare a string holding a
NUL character, so a ``%00`` in the path or query string (an admin filter, an autocomplete
term) would reach the database as an error and a 500. Forms already refuse NUL characters in
their fields; this answers the rest with the 400 page before any view runs.

``RefuseOversizedUploads`` is the first upload handler: Django caps the size of ordinary form
fields with DATA_UPLOAD_MAX_MEMORY_SIZE but not of file parts in a multipart body, which it
would stream to a temporary file on disk. The app takes no file uploads, so any multipart body
over the same limit is refused with Django's 400 page before a byte of it is stored.

``client_ip`` is the address that django-axes throttles log-ins by. Behind a load balancer
REMOTE_ADDR is the balancer's own address, so every visitor would share one address; with
DJANGO_PROXY_COUNT set to the number of trusted proxies in front of the app, the client is the
address that the outermost trusted proxy appended to X-Forwarded-For. Entries further left
are whatever the client sent and are never trusted.

``personal_pages_not_stored`` is a middleware: a page rendered for a signed-in person (their
progress, a team's dashboard and CSV, the members page with its invite secret, a quiz and its
result, the password change form) is theirs alone, so it is sent with ``Cache-Control:
private, no-store`` and no browser history cache, proxy or shared machine keeps a copy. It
reads the user only if the view already did, so pages that never look at the visitor (and
the page cache's hits) cost no query for it.

``is_subresource`` tells a page opened by a person (a navigation, or htmx's fetch) from the
same URL loaded as an image, script or style by another page: the views whose GET records
something (a lesson visit) or issues something (a quiz attempt) do not do it for the latter,
so an ``<img src>`` in content cannot enrol a reader or start their attempt.
"""

from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.cache import patch_cache_control

from config.views import bad_request


def refuse_nul_bytes(get_response):
    def middleware(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(query):
            return bad_request(request, ValueError("NUL character in the request"))
        return get_response(request)

    return middleware


def personal_pages_not_stored(get_response):
    def middleware(request):
        response = get_response(request)
        # Set by django.contrib.auth's lazy request.user once something has read it.
        user = getattr(request, "_cached_user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


# Sec-Fetch-Dest values of requests a person makes: opening a page (in a tab or a frame) and
# fetch/XHR (htmx). Anything else (image, script, style, font, ...) is another page loading
# this URL as a resource.
NAVIGATION_DESTINATIONS = {"document", "iframe", "frame", "empty"}


def is_subresource(request) -> bool:
    """Whether the browser says this request loads the URL as an image, script, style, etc.

    Browsers without Fetch Metadata send no header; they are treated as navigations.
    """
    destination = request.headers.get("Sec-Fetch-Dest")
    return destination is not None and destination not in NAVIGATION_DESTINATIONS


class RefuseOversizedUploads(FileUploadHandler):
    """Refuse a multipart body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (Django answers 400)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and content_length > limit:
            raise RequestDataTooBig(
                "Multipart body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
            )

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # let the next handler store it

    def file_complete(self, file_size):
        return None


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only as far as DJANGO_PROXY_COUNT says."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # The request did not come through every proxy: only the socket address is trustworthy.
        return remote_addr
    return forwarded[-proxies]
