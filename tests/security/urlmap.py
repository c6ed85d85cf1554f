"""Every URL pattern in the project, read from the resolver, for tests that must cover them all.

``url_patterns()`` flattens config.urls (includes, namespaces and the admin's per-model URLs)
into ``Route`` records. A test that loops over it grows with the project: a new URL is covered,
or fails the test, without anyone remembering to add it. ``accepted_methods(callback)`` reads
which HTTP methods a view takes from its method decorators (test_csrf.py finds the POST routes
with it), and ``is_csrf_exempt`` whether a view opted out of CSRF checks.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>[^>]+)>")


@dataclass(frozen=True)
class Route:
    route: str  # "courses/<slug:course>/<slug:lesson>/"
    name: str | None  # "lessons:detail", namespaced
    callback: object

    @property
    def parameters(self) -> list[str]:
        return [m["name"] or m["group"] for m in PARAMETER.finditer(self.route)]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def path(self) -> str:
        """The URL path of a route without parameters (regex anchors removed)."""
        assert not self.parameters, f"{self.route} needs parameters"
        return "/" + self.route.replace("^", "").replace("$", "").replace("\\", "")


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        piece = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            routes.extend(url_patterns(entry, piece, inner))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            routes.append(Route(route=piece, name=name, callback=entry.callback))
    return routes


def accepted_methods(callback) -> frozenset[str] | None:
    """The HTTP methods a view accepts, read from its method decorator or its class.

    ``require_GET``, ``require_POST`` and ``require_http_methods`` keep their list in the
    closure of the function they return (found by following ``__wrapped__``); a class-based
    view accepts what it has handlers for. None means nothing restricts the method, as for the
    admin's model views, which take POST.
    """
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if hasattr(view_class, m))
    func = callback
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def is_csrf_exempt(callback) -> bool:
    func = callback
    while func is not None:
        if getattr(func, "csrf_exempt", False):
            return True
        func = getattr(func, "__wrapped__", None)
    return False
