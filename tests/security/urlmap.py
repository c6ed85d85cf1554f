"""Every URL pattern in the project, read from the resolver, for tests that must cover them all.

``url_patterns()`` flattens config.urls (includes, namespaces and the admin's per-model URLs)
into ``Route`` records. A test that loops over it grows with the project: a new URL is covered,
or fails the test, without anyone remembering to add it.
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
