"""A small registry of widgets that Markdown bodies embed with a line like ``[[matrix:slug]]``.

It is part of the Markdown pipeline, so it lives in the base layer: the apps that own a kind
of widget (``matrix`` today) register it here, and ``lessons`` renders it, without either
knowing the other.

An app registers a kind once, in its ``AppConfig.ready``::

    embeds.register("matrix", render=render_matrix_embed, exists=matrix_slug_exists)

``render(request, slug, *, index)`` returns the widget's HTML from the app's own trusted
template; ``index`` counts the embeds of that kind on the page (from 0), so several widgets of
one kind get distinct ids and the first is always 0.
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

Two optional hooks keep a page with many embeds cheap and the admin's preview readable:

- ``prefetch(request, slugs)`` loads what every embed of the kind on one page needs, in a
  fixed number of queries whatever the number of embeds; ``render_embeds`` calls it once per
  page, before rendering, and passes its result to each ``render`` of the kind as
  ``prefetched=``. Kinds that register the *same* prefetch function share one call with the
  slugs of all of them (``practice`` registers one for ``check`` and ``predict``). The result
  stays readable for the rest of the request through ``prefetched(request, kind)``.
- ``label(slug)`` says in a few words which thing an embed line names ("Inline check “Which
  input…”"); ``describe(kind, slug)`` uses it, and the lesson admin's live preview shows it.
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
    prefetch: Callable[..., object] | None = None
    label: Callable[[str], str] | None = None


_registry: dict[str, EmbedKind] = {}
_PREFETCHED = "_embeds_prefetched"


def register(
    name: str,
    *,
    render: Callable[..., str],
    exists: Callable[[str], bool],
    renders_missing: bool = False,
    params: Callable[[QueryDict], QueryDict] | None = None,
    prefetch: Callable[..., object] | None = None,
    label: Callable[[str], str] | None = None,
) -> None:
    _registry[name] = EmbedKind(
        name=name,
        render=render,
        exists=exists,
        renders_missing=renders_missing,
        prefetch=prefetch,
        label=label,
        params=params,
    )


def registered_kinds() -> dict[str, EmbedKind]:
    return dict(_registry)


def page_params(request) -> QueryDict:
    """The query parameters that the widgets of every registered kind read, canonical."""
    if not request.META.get("QUERY_STRING"):
        return QueryDict()  # most requests: nothing to parse (and no QueryDict to build)
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


def describe(kind: str, slug: str) -> str:
    """A few words saying which thing ``[[kind:slug]]`` names, for authors."""
    embed = _registry.get(kind)
    if embed is not None and embed.label is not None:
        return embed.label(slug)
    return f"Widget {kind}"


def prefetched(request, kind: str):
    """What ``kind``'s prefetch loaded for this request's page, or None if it did not run."""
    return getattr(request, _PREFETCHED, {}).get(kind)


def _prefetch_all(request, pairs: list[tuple[str, str]]) -> dict[str, object]:
    """Call each distinct prefetch function once with the slugs of every kind that uses it."""
    groups: dict[Callable, tuple[list[str], list[str]]] = {}
    for kind, slug in pairs:
        embed = _registry.get(kind)
        if embed is None or embed.prefetch is None:
            continue
        kinds, slugs = groups.setdefault(embed.prefetch, ([], []))
        if kind not in kinds:
            kinds.append(kind)
        if slug not in slugs:
            slugs.append(slug)
    found = {}
    for function, (kinds, slugs) in groups.items():
        result = function(request, slugs)
        found.update(dict.fromkeys(kinds, result))
    return found


def render_embeds(request, html: str) -> SafeString:
    """The stored lesson HTML with every embed placeholder replaced for this request."""
    loaded: dict[str, object] = {}

    def prepare(pairs):
        loaded.update(_prefetch_all(request, pairs))
        setattr(request, _PREFETCHED, {**getattr(request, _PREFETCHED, {}), **loaded})

    def replace(kind: str, slug: str, index: int) -> str:
        embed = _registry.get(kind)
        if embed is not None and (embed.renders_missing or embed.exists(slug)):
            extra = {"prefetched": loaded.get(kind)} if embed.prefetch is not None else {}
            try:
                return embed.render(request, slug, index=index, **extra)
            except (ObjectDoesNotExist, Http404):
                pass  # removed between exists() and render(): show the notice instead
        return render_to_string(
            "core/embed_missing.html", {"kind": kind, "slug": slug}, request=request
        )

    return expand_placeholders(html, replace, prepare=prepare)
