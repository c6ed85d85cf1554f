"""What every visitor of a page shares, worked out once per release and content version.

A signed-in learner's lesson page is personal (their answers, their done marks), so the page
cache cannot keep it whole; but most of what it shows is the same for everyone: the lesson
with its course, siblings and objectives, the blocks a body embeds, the matrix's region. Those
are kept in Django's cache here, under a key made of ``config.page_cache.release()`` (a
deployment never reads what older code stored) and ``content_version()`` (an edit in the
admin or a ``load_content`` shows on the next request), and only the personal bits are read
and rendered per request.

``version(request)`` reads the content version once per request (one query) and keeps it on
the request, so every part of a page that uses it pays for it once; the page caches set it
from the query they make anyway (``config.page_cache.VERSION_ATTRIBUTE``).

``fragment(request, key, render)`` keeps rendered HTML. The CSRF token and the CSP nonce
belong to one request: a fragment is rendered with ``config.page_cache.Placeholders`` of its
own in their place, kept with them, and each use puts back what this render of the page
needs there: the request's own token and nonce, or, while the whole page is itself being
rendered for the page cache, that render's placeholders (which the page cache fills in later).
So a fragment never carries one request's token or nonce into another's page.
"""

import hashlib
import secrets
from collections.abc import Callable, Mapping

from django.core.cache import cache
from django.middleware.csp import get_nonce
from django.utils.safestring import SafeString

from config.csrf_tokens import token_for
from config.page_cache import (
    VERSION_ATTRIBUTE,
    Placeholders,
    content_version,
    placeholders,
    release,
)

from .rendering import replace_marks

# How long shared facts live at most; a new content version makes new keys anyway.
SECONDS = 60 * 60
# config.page_cache's marker of a page being rendered for the cache (see ``fragment``).
_RENDERING = "_page_cache_rendering"


def version(request) -> str:
    """This request's content version: one query the first time, none after."""
    found = getattr(request, VERSION_ATTRIBUTE, None)
    if found is None:
        found = content_version()
        setattr(request, VERSION_ATTRIBUTE, found)
    return found


def key(request, name: str, *parts) -> str:
    """A cache key for ``name`` and ``parts`` under this release and content version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"shared:{name}:{release()}:{version(request)}:{digest}"


def facts[T](request, name: str, parts: tuple, build: Callable[[], T]) -> T:
    """What ``build()`` returns for ``name`` and ``parts``, from the cache when it is there.

    ``build`` must return the same for every visitor (None is not kept: a missing lesson
    must not fill the cache with misses)."""
    cache_key = key(request, name, *parts)
    found = cache.get(cache_key)
    if found is None:
        found = build()
        if found is not None:
            cache.set(cache_key, found, SECONDS)
    return found


def fragment(
    request,
    cache_key: str,
    render: Callable[..., SafeString],
    *,
    fresh: Mapping[str, Callable[[], str]] | None = None,
) -> SafeString:
    """The HTML ``render()`` makes, kept under ``cache_key`` (a ``key``) with its own
    placeholders for the CSRF token and the CSP nonce, filled in for this request.

    ``fresh`` names other values that must be new on every use (a form's submission token):
    ``render`` is called with a placeholder for each, as keyword arguments, and each use puts
    a value from ``fresh[name]()`` in its place."""
    found = cache.get(cache_key)
    if found is None:
        marks = Placeholders.new()
        others = {name: secrets.token_hex(16) for name in fresh or {}}
        outer = getattr(request, _RENDERING, None)
        setattr(request, _RENDERING, marks)
        try:
            html = render(**others)
        finally:
            if outer is None:
                delattr(request, _RENDERING)
            else:
                setattr(request, _RENDERING, outer)
        found = (html, marks, others)
        cache.set(cache_key, found, SECONDS)
    html, marks, others = found
    values = {mark: fresh[name]() for name, mark in others.items() if mark in html}
    return fill(request, html, marks, values)


def fill(request, html: SafeString, marks: Placeholders, values=None) -> SafeString:
    """``html`` with what this render needs where ``marks`` (and ``values``' keys) stand."""
    outer = placeholders(request)  # set while the page is rendered for the page cache
    values = dict(values or {})
    if marks.csrf in html:
        values[marks.csrf] = outer.get("csrf_token") or token_for(request)
    if marks.nonce in html:
        values[marks.nonce] = outer.get("csp_nonce") or str(get_nonce(request))
    return replace_marks(html, values)
