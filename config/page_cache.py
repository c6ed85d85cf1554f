"""Whole-page caching for pages that every visitor of a kind sees the same.

The catalog, a course overview or a lesson look the same to every anonymous reader, and the
matrix widget's explore view the same to everyone (its compare view only to visitors who are
not logged in: ``matrix.placement.WidgetState.is_personal``).
Such a page is rendered once and kept in the cache; later requests for the same URL are
answered from it without running the view.

Two values in every page belong to one request and must never be shared: the CSRF token
(the ``hx-headers`` on ``<body>``, form fields) and the CSP nonce (the htmx ``<script>``).
A page bound for the cache is rendered with placeholders in their place (the ``placeholders``
context processor, listed after Django's own, supplies them), and each response, cached or
not, has them filled in with the request's own values: ``get_token`` also sets the CSRF cookie
as rendering the token would, and the nonce read here is the one the CSP middleware puts in
the header.

A cached page is found under a key made of:

- the release: a digest of the project's Python files, templates and static files (their
  sizes and modification times), so a deployment never serves pages from older code;
- the content version: one query over the content tables' row counts and latest
  ``updated_at`` (or newest row, for a table without one; ``PAGE_CACHE_CONTENT``), so an edit in the admin or a ``load_content`` shows
  on the next request, in every process, with any cache backend. A change that bypasses
  ``save()`` (``QuerySet.update``, SQL) leaves ``updated_at`` alone and shows when the page
  expires, or at once after ``cache.clear()``;
- the view, the host, the path and query string, and for htmx requests the page the request came from
  (``HX-Current-URL``) and whether it restores history.

A request with messages waiting is rendered as usual (the messages are its own), and so is
anything but a GET or HEAD. Only 200 responses are kept; a view can keep a response out with
``keep_private(response)`` (a draft that only staff may see). ``PAGE_CACHE_SECONDS`` is how
long a page lives at most; 0 turns the cache off (the default with debug on, so that template
edits show at once while developing).
"""

import functools
import hashlib
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

# Long and unlikely in any page: an author would have to type one of them into a lesson.
CSRF_PLACEHOLDER = "page-cache-csrf-5b0e2f7c9d1a4e36"
NONCE_PLACEHOLDER = "page-cache-nonce-8c3d6a1f2e7b4d90"

# The view's own headers that a cached page must answer with again (middleware adds the rest).
KEPT_HEADERS = ("Content-Type", "HX-Push-Url", "HX-Replace-Url", "HX-Retarget", "HX-Reswap")

_RENDERING = "_page_cache_rendering"
_PRIVATE = "_page_cache_private"


def placeholders(request):
    """Context processor: placeholders for the per-request values while a page is being
    rendered for the cache, nothing otherwise."""
    if getattr(request, _RENDERING, False):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}
    return {}


def keep_private(response: HttpResponse) -> HttpResponse:
    """Keep ``response`` out of the page cache; it is still sent as it is."""
    setattr(response, _PRIVATE, True)
    return response


def shared_page(*, when=None):
    """Decorate a view whose page, when ``when(request)`` holds, depends only on its URL and
    the content (by default: whenever the visitor is not logged in)."""
    when = when or _is_anonymous

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _may_share(request, when):
                return view(request, *args, **kwargs)
            key = page_key(request, view)
            page = cache.get(key)
            if page is not None:
                body, headers = page
                return HttpResponse(fill_placeholders(request, body), headers=headers)
            setattr(request, _RENDERING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                delattr(request, _RENDERING)
            if getattr(response, "streaming", False):
                return response
            if _is_storable(response):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response.content = fill_placeholders(request, response.content)
            return response

        return wrapped

    return decorator


def fill_placeholders(request, body: bytes) -> bytes:
    """``body`` with this request's CSRF token and CSP nonce where the placeholders are."""
    if CSRF_PLACEHOLDER.encode() in body:
        body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in body:
        body = body.replace(NONCE_PLACEHOLDER.encode(), str(get_nonce(request)).encode())
    return body


def page_key(request, view) -> str:
    parts = [f"{view.__module__}.{view.__qualname__}", request.get_host(), request.get_full_path()]
    if request.headers.get("HX-Request") == "true":
        parts += [
            "htmx",
            request.headers.get("HX-Current-URL", ""),
            request.headers.get("HX-History-Restore-Request", ""),
        ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{release()}:{content_version()}:{digest}"


def content_version() -> str:
    """A digest of the content tables' row counts and latest edits: one query."""
    with connection.cursor() as cursor:
        cursor.execute(_content_version_sql())
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


@functools.cache
def _content_version_sql() -> str:
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
    return "SELECT " + ", ".join(selects)


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


def _is_anonymous(request) -> bool:
    return not request.user.is_authenticated


def _may_share(request, when) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not _has_messages(request)
        and when(request)
    )


def _has_messages(request) -> bool:
    # len() reads the stored messages without marking them shown.
    return len(get_messages(request)) > 0


def _is_storable(response) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, _PRIVATE, False)
        and not response.cookies
    )
