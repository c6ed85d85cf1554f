"""Whole-page caching for pages that every visitor of a kind sees the same.

The catalog, a course overview or a lesson look the same to every anonymous reader, and the
matrix widget's explore view the same to everyone (its compare view only to visitors who are
not logged in: ``matrix.placement.WidgetState.is_personal``).
Such a page is rendered once and kept in the cache; later requests for the same page are
answered from it without running the view.

**Per-request values.** Two values in every page belong to one request and must never be
shared: the CSRF token (the ``hx-headers`` on ``<body>``, form fields) and the CSP nonce (the
htmx ``<script>``). A page bound for the cache is rendered with placeholders in their place
(the ``placeholders`` context processor, listed after Django's own, supplies them), and each
response, cached or not, has them filled in with the request's own values: ``token_for``
(``config.csrf_tokens``: Django's ``get_token``, drawn faster) also sets the CSRF cookie as
rendering the token would, and the nonce read here is the one the CSP middleware puts in the
header. The placeholders are random and new for every render
(``secrets.token_hex``), kept with the cached page and known to nothing else: a lesson body or
a query string reflected in the page cannot plant one, so a reader's token is written only
where the templates put ``{{ csrf_token }}`` and ``{{ csp_nonce }}``.

**Keys: what the page reads, never the raw request.** A cached page is found under a key made
of the release (a digest of the project's Python files, templates and static files, so a
deployment never serves pages from older code), the content version (one query over the
content tables' row counts and latest ``updated_at``, or newest row for a table without one:
``PAGE_CACHE_CONTENT``; an edit in the admin or a ``load_content`` shows on the next request,
in this process, and within ``PAGE_CACHE_VERSION_SECONDS`` (1 s) in every other one: each
process reads the version at most that often, ``recent_content_version``; a change that
bypasses ``save()`` shows when the page expires, or after ``cache.clear()`` and that second),
and what the view's page depends on:

- the view and the path (no host: no shared page renders an absolute URL);
- the query parameters the view reads, canonical: ``shared_page(params=...)`` maps the
  request to them (by default none), with every value spelled as the view reads it. The view
  then runs on exactly those: ``request.GET`` and the query string are replaced by them, so a
  parameter the page does not read (``?utm=1``) neither changes the key nor shows in the page
  (the "Log in" link's ``next``, a widget's hidden inputs). Dropping it from the page rather
  than refusing to cache or redirecting keeps every link working (the state the page reads is
  all in them), costs no round trip, and bounds the cache;
- ``shared_page(key=...)``: anything else it reads, already parsed (for a matrix region, the
  placement it rebuilds from ``HX-Current-URL``), and for htmx requests whether it is one and
  whether it restores history.

So junk parameters, ``Host`` ports and current URLs find the same entry. A known parameter
with a value the page cannot honour (``?base=nonsense``) would still make a new key: the view
keeps such a page out with ``keep_out(request)`` (the matrix does when it shows a notice about
its URL), and whatever else slips through is bounded: a view and path keep at most
``MAX_VARIANTS`` pages with parameters or a region (a counter in the cache, per release and
content version); past that they are rendered as usual, and the plain page is always kept.

A request with messages waiting is rendered as usual (the messages are its own), and so is
anything but a GET or HEAD. Only 200 responses are kept; a view can keep a response out with
``keep_private(response)`` (a draft that only staff may see). ``PAGE_CACHE_SECONDS`` is how
long a page lives at most; 0 turns the cache off (the default with debug on, so that template
edits show at once while developing).
"""

import functools
import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.middleware.csp import get_nonce

from .compression import deflated_parts
from .csrf_tokens import token_for

# The view's own headers that a cached page must answer with again (middleware adds the rest).
KEPT_HEADERS = ("Content-Type", "HX-Push-Url", "HX-Replace-Url", "HX-Retarget", "HX-Reswap")
# Pages with parameters or a region that one view and path may keep (the plain page aside).
MAX_VARIANTS = 32

_RENDERING = "_page_cache_rendering"
# The request attribute holding the content version read for it, so that a page's parts
# (core/shared.py) read it once: set here and by config.personal_pages from their own query.
VERSION_ATTRIBUTE = "_content_version"
_PRIVATE = "_page_cache_private"


@dataclass(frozen=True)
class Placeholders:
    """What stands for the CSRF token and the CSP nonce in one render bound for the cache."""

    csrf: str
    nonce: str

    @classmethod
    def new(cls) -> "Placeholders":
        return cls(csrf=secrets.token_hex(16), nonce=secrets.token_hex(16))


def placeholders(request):
    """Context processor: placeholders for the per-request values while a page is being
    rendered for the cache, nothing otherwise."""
    marks = getattr(request, _RENDERING, None)
    if marks is not None:
        return {"csrf_token": marks.csrf, "csp_nonce": marks.nonce}
    return {}


def keep_private(response: HttpResponse) -> HttpResponse:
    """Keep ``response`` out of the page cache; it is still sent as it is."""
    setattr(response, _PRIVATE, True)
    return response


def keep_out(request) -> None:
    """Keep the page being rendered for ``request`` out of the page cache: it shows something
    of the URL that is not one of the page's states (a notice about an unknown value)."""
    setattr(request, _PRIVATE, True)


def shared_page(*, when=None, params=None, key=None):
    """Decorate a view whose page, when ``when(request)`` holds (by default: whenever the
    visitor is not logged in), depends only on its path, the content, the query parameters
    ``params(request)`` returns (a ``QueryDict``, canonical; by default none) and what
    ``key(request)`` returns (a string; by default nothing)."""
    when = when or _is_anonymous

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _may_share(request, when):
                return view(request, *args, **kwargs)
            query, region = page_variant(request, params, key)
            version = recent_content_version()
            setattr(request, VERSION_ATTRIBUTE, version)
            prefix = f"page:{release()}:{version}"
            page_key = f"{prefix}:{digest(name, request.path, query, region, htmx_state(request))}"
            counter = f"{prefix}:variants:{digest(name, request.path)}"
            return serve(
                request, page_key, lambda: view(request, *args, **kwargs),
                seconds=settings.PAGE_CACHE_SECONDS,
                variants=counter if query or region else None,
            )  # fmt: skip

        return wrapped

    return decorator


def page_variant(request, params, key) -> tuple[str, str]:
    """Let the view see only the query parameters ``params(request)`` gives (none by default);
    return them encoded, and what ``key(request)`` gives (nothing by default)."""
    read_only(request, params(request) if params else QueryDict())
    return request.GET.urlencode(), (key(request) if key else "")


def serve(
    request,
    page_key: str,
    render,
    *,
    seconds: int,
    store=cache,
    variants: str | None = None,
    max_variants: int = MAX_VARIANTS,
    still_valid=None,
):
    """The page kept in ``store`` under ``page_key``, with this request's token and nonce
    filled in, or ``render()``'s response, kept there when it may be (for ``seconds``; a page
    with parameters only while the counter ``variants`` allows one more of ``max_variants``;
    only if ``still_valid()``, when given, holds after rendering).

    The one place where a page is rendered with placeholders, stored and filled in: shared
    pages here, personal ones in ``config.personal_pages``."""
    page = store.get(page_key)
    if page is not None:
        parts, headers, marks = page
        return _filled_in(request, parts, headers, marks)
    marks = Placeholders.new()
    setattr(request, _RENDERING, marks)
    try:
        response = render()
    finally:
        delattr(request, _RENDERING)
    if getattr(response, "streaming", False):
        return response
    if (
        _is_storable(request, response)
        and (still_valid is None or still_valid())
        and (variants is None or _claim_variant(store, variants, seconds, max_variants))
    ):
        headers = {h: response[h] for h in KEPT_HEADERS if h in response}
        # Its fixed parts deflated now, once (config/compression.py).
        parts = deflated_parts(response.content, [marks.csrf.encode(), marks.nonce.encode()])
        store.set(page_key, (parts, headers, marks), seconds)
    response.content = fill_placeholders(request, response.content, marks)
    return response


def _filled_in(request, parts, headers: dict, marks: Placeholders) -> HttpResponse:
    """A kept page's response: its parts with this request's token and nonce in place of the
    marks, and the parts kept for compression (``config.compression.spliced``)."""
    values = {}
    filled = []
    for raw, deflated in parts:
        if deflated is None:
            if raw not in values:  # the token only where the page shows one: it sets a cookie
                values[raw] = (
                    token_for(request) if raw == marks.csrf.encode() else str(get_nonce(request))
                ).encode()
            raw = values[raw]
        filled.append((raw, deflated))
    response = HttpResponse(b"".join(raw for raw, _ in filled), headers=headers)
    response.deflated_parts = filled
    return response


def fill_placeholders(request, body: bytes, marks: Placeholders) -> bytes:
    """``body`` with this request's CSRF token and CSP nonce where ``marks`` stand."""
    if marks.csrf.encode() in body:
        body = body.replace(marks.csrf.encode(), token_for(request).encode())
    if marks.nonce.encode() in body:
        body = body.replace(marks.nonce.encode(), str(get_nonce(request)).encode())
    return body


def content_version() -> str:
    """A digest of the content tables' row counts and latest edits: one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(content_columns()))
        return version_of(cursor.fetchone())


# The content version this process read last for a shared page, and the moment (on the
# monotonic clock) until which it is used without reading it again.
_recent_version: tuple[float, str] | None = None


def recent_content_version() -> str:
    """``content_version()``, read at most once per ``PAGE_CACHE_VERSION_SECONDS`` by this
    process (0: on every call).

    Shared pages only: the query is a tenth of what serving a kept page costs, for a value that
    changes when an instructor saves something. An edit saved in this process is seen at once
    (``content_saved`` runs on every save and delete of a content app's model, connected in
    ``core.apps``, and ``content_version_after_writes`` after every request that may write); one saved by another process (another worker or host) within that many
    seconds. Everything that must see the newest content (the search index, personal pages,
    the team figures) reads ``content_version()`` or the content columns itself."""
    global _recent_version
    now = time.monotonic()
    recent = _recent_version
    if recent is not None and now < recent[0]:
        return recent[1]
    version = content_version()
    if settings.PAGE_CACHE_VERSION_SECONDS > 0:
        _recent_version = (now + settings.PAGE_CACHE_VERSION_SECONDS, version)
    return version


def forget_content_version() -> None:
    """Make the next shared page read the content version."""
    global _recent_version
    _recent_version = None


def content_saved(sender, **kwargs) -> None:
    """Signal receiver for every save and delete: one of a content app's models (a content
    table, or a part of one that moves its ``updated_at``, such as a matrix cell or a choice)
    makes the next shared page read the content version."""
    if sender._meta.app_label in _content_apps():
        forget_content_version()


def content_version_after_writes(get_response):
    """Middleware: after any request but a GET, HEAD or OPTIONS, the next shared page reads the
    content version, for the writes no signal reports (an admin action's ``update()``)."""

    def middleware(request):
        try:
            return get_response(request)
        finally:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                forget_content_version()

    return middleware


@functools.cache
def _content_apps() -> frozenset[str]:
    return frozenset(label.partition(".")[0] for label in settings.PAGE_CACHE_CONTENT)


def version_of(row: tuple) -> str:
    """The content version of ``row``, the values of ``content_columns()`` in order."""
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:16]


@functools.cache
def content_columns() -> tuple[str, ...]:
    """The SQL expressions ``content_version`` selects (``config.personal_pages`` selects them
    in its own one query too)."""
    quote = connection.ops.quote_name
    selects = []
    for label in settings.PAGE_CACHE_CONTENT:
        meta = apps.get_model(label)._meta
        # The latest edit where the model records one; otherwise its newest row.
        fields = {field.name: field for field in meta.fields}
        column = quote(fields.get("updated_at", meta.pk).column)
        table = quote(meta.db_table)
        # Names from the models' metadata, quoted; nothing here comes from a request.
        selects += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({column}) FROM {table})"]  # noqa: S608
    return tuple(selects)


@functools.cache
def release() -> str:
    """A digest of the code, templates and static files this process serves (read once)."""
    digest = hashlib.sha256()
    skip = {".venv", "node_modules", "staticfiles", "tests", "benchmarks", ".git", "__pycache__"}
    for root, dirs, files in os.walk(settings.BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".css", ".js", ".svg", ".txt")):
                stat = (Path(root) / name).stat()
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_only(request, query: QueryDict) -> None:
    """Let the view see only ``query`` of the request's query string."""
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def htmx_state(request) -> str:
    # From META: building ``request.headers`` for two headers costs more than the rest of a
    # kept anonymous page's key.
    htmx = request.META.get("HTTP_HX_REQUEST") == "true"
    restore = request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true"
    return f"htmx={htmx} restore={restore}"


def _claim_variant(store, counter: str, seconds: int, most: int) -> bool:
    """Whether one more page with parameters may be kept under ``counter``'s view and path."""
    store.add(counter, 0, seconds)
    try:
        return store.incr(counter) <= most
    except ValueError:  # the counter expired in between: keep nothing this time
        return False


def _is_anonymous(request) -> bool:
    # Without a session cookie nobody is signed in: no session or user to load.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def _may_share(request, when) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not has_messages(request)
        and when(request)
    )


def has_messages(request) -> bool:
    # len() reads the stored messages without marking them shown.
    return len(get_messages(request)) > 0


def _is_storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, _PRIVATE, False)
        and not getattr(request, _PRIVATE, False)
        and not response.cookies
    )
