"""The course material as files: a registry of per-app readers and writers, run in order.

Each app that keeps material in ``content/`` registers a handler in its ``AppConfig.ready``::

    content.register("lessons", order=30, load=load_lessons, export=export_lessons)

``load(root, stats)`` reads its files under ``root`` and creates or updates rows by slug,
counting each row in ``stats`` as created, updated or unchanged; it raises ``ContentError``
naming the file and the problem. ``export(root)`` writes the same files back. Handlers run in
ascending ``order`` (courses first), all inside one transaction, so a broken file changes
nothing: a handler needs no transaction of its own. ``core.content_files`` has the toolkit
handlers are written with. The registry lives in the base layer, below every app that
registers, so no app needs to import another to take part.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .content_files import ContentError, LoadStats


@dataclass(frozen=True)
class Handler:
    """One app's reader and writer of its content files, and when it runs among the others."""

    name: str
    order: int
    load: Callable[[Path, LoadStats], None]
    export: Callable[[Path], None]


_handlers: dict[str, Handler] = {}


def register(name: str, *, order: int, load, export) -> None:
    """Add (or, under the same name, replace) a handler; lower ``order`` runs first."""
    _handlers[name] = Handler(name=name, order=order, load=load, export=export)


def handlers() -> list[Handler]:
    return sorted(_handlers.values(), key=lambda handler: handler.order)


def load_tree(root: Path) -> LoadStats:
    """Load every kind of material under ``root`` in one transaction."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, "is not a folder")
    stats = LoadStats()
    with transaction.atomic():
        for handler in handlers():
            handler.load(root, stats)
    return stats


def export_tree(root: Path) -> None:
    """Write every kind of material under ``root``, overwriting files of the same names."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for handler in handlers():
        handler.export(root)
