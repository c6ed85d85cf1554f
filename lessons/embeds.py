"""A small registry of widgets that lesson bodies embed with a line like ``[[matrix:slug]]``.

An app registers a kind once, in its ``AppConfig.ready``::

    embeds.register("matrix", render=render_matrix_embed, exists=matrix_slug_exists)

``render(request, slug, *, index)`` returns the widget's HTML from the app's own trusted
template; ``index`` counts embeds on the page so several widgets get distinct ids.
``exists(slug)`` says whether the slug can be embedded; the admin uses it to refuse unknown
embeds before they are saved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .rendering import find_embeds


@dataclass(frozen=True)
class EmbedKind:
    name: str
    render: Callable[..., str]
    exists: Callable[[str], bool]


_registry: dict[str, EmbedKind] = {}


def register(name: str, *, render: Callable[..., str], exists: Callable[[str], bool]) -> None:
    _registry[name] = EmbedKind(name=name, render=render, exists=exists)


def registered_kinds() -> dict[str, EmbedKind]:
    return dict(_registry)


def validate_embeds(text: str) -> None:
    """Raise ValidationError naming every embed line whose kind or slug is unknown."""
    problems = []
    for kind, slug in find_embeds(text):
        embed = _registry.get(kind)
        if embed is None:
            known = ", ".join(sorted(_registry)) or "none"
            problems.append(f"[[{kind}:{slug}]]: there is no widget called '{kind}' (known: {known}).")
        elif not embed.exists(slug):
            problems.append(f"[[{kind}:{slug}]]: no published {kind} has the slug '{slug}'.")
    if problems:
        raise ValidationError(problems)
