"""A small registry of widgets that Markdown bodies embed with a line like ``[[matrix:slug]]``.

It is part of the Markdown pipeline, so it lives in the base layer: the apps that own a kind
of widget (``matrix`` today) register it here, and ``lessons`` renders it, without either
knowing the other.

An app registers a kind once, in its ``AppConfig.ready``::

    embeds.register("matrix", render=render_matrix_embed, exists=matrix_slug_exists)

``render(request, slug, *, index)`` returns the widget's HTML from the app's own trusted
template; ``index`` counts embeds on the page so several widgets get distinct ids.
``exists(slug)`` says whether the slug can be embedded; the admin uses it to refuse unknown
embeds before they are saved. A kind whose ``render`` shows its own notice for a slug that
does not exist registers with ``renders_missing=True``: the lesson page then skips asking
``exists`` first, which saves a query per embed. A kind whose widget reads the page's query
string registers ``params(query) -> QueryDict``: the parameters it reads, spelled as it reads
them; ``page_params(request)`` gathers them for the page cache, which renders a shared lesson
from those alone (``config/page_cache.py``).

``render_embeds(request, html)`` is what the lesson page calls: it swaps each placeholder in a
stored body for its widget, and an unknown kind or slug for a small inert notice, so a
widget that was deleted or renamed never breaks the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .rendering import expand_placeholders, find_embeds


@dataclass(frozen=True)
class EmbedKind:
    name: str
    render: Callable[..., str]
    exists: Callable[[str], bool]
    renders_missing: bool = False
    params: Callable[[QueryDict], QueryDict] | None = None


_registry: dict[str, EmbedKind] = {}


def register(
    name: str,
    *,
    render: Callable[..., str],
    exists: Callable[[str], bool],
    renders_missing: bool = False,
    params: Callable[[QueryDict], QueryDict] | None = None,
) -> None:
    _registry[name] = EmbedKind(
        name=name, render=render, exists=exists, renders_missing=renders_missing, params=params
    )


def registered_kinds() -> dict[str, EmbedKind]:
    return dict(_registry)


def page_params(request) -> QueryDict:
    """The query parameters that the widgets of every registered kind read, canonical."""
    query = QueryDict(mutable=True)
    for embed in _registry.values():
        if embed.params is not None:
            for name, values in embed.params(request.GET).lists():
                query.setlist(name, values)
    return query


def validate_embeds(text: str) -> None:
    """Raise ValidationError naming every embed line whose kind or slug is unknown."""
    problems = []
    for kind, slug in find_embeds(text):
        embed = _registry.get(kind)
        if embed is None:
            known = ", ".join(sorted(_registry)) or "none"
            problems.append(
                f"[[{kind}:{slug}]]: there is no widget called '{kind}' (known: {known})."
            )
        elif not embed.exists(slug):
            problems.append(f"[[{kind}:{slug}]]: no published {kind} has the slug '{slug}'.")
    if problems:
        raise ValidationError(problems)


def render_embeds(request, html: str) -> SafeString:
    """The stored lesson HTML with every embed placeholder replaced for this request."""

    def replace(kind: str, slug: str, index: int) -> str:
        embed = _registry.get(kind)
        if embed is not None and (embed.renders_missing or embed.exists(slug)):
            try:
                return embed.render(request, slug, index=index)
            except (ObjectDoesNotExist, Http404):
                pass  # removed between exists() and render(): show the notice instead
        return render_to_string(
            "core/embed_missing.html", {"kind": kind, "slug": slug}, request=request
        )

    return expand_placeholders(html, replace)
