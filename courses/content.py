"""The course material as files: a registry of per-app readers and writers.

Each app that keeps material in ``content/`` registers a handler in its ``AppConfig.ready``::

    content.register("lessons", order=30, load=load_lessons, export=export_lessons)

``load(root, stats)`` reads its files under ``root`` and creates or updates rows by slug,
counting each row in ``stats`` as created, updated or unchanged; it raises ``ContentError``
naming the file and the problem. ``export(root)`` writes the same files back. Handlers run in
ascending ``order`` (courses first), all inside one transaction, so a broken file changes
nothing. Apps lower in the stack never import the apps that register here.
"""

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction


class ContentError(Exception):
    """A content file is missing, malformed or inconsistent."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass
class LoadStats:
    """Counts of rows created, updated and unchanged by a load, per kind of thing."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def record(self, kind: str, outcome: str) -> None:
        getattr(self, outcome)[kind] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        return "\n".join(lines) or "nothing found"


@dataclass(frozen=True)
class Handler:
    name: str
    order: int
    load: Callable[[Path, LoadStats], None]
    export: Callable[[Path], None]


_handlers: dict[str, Handler] = {}


def register(name: str, *, order: int, load, export) -> None:
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
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for handler in handlers():
        handler.export(root)


def read_toml(path: Path) -> dict:
    """Parse a TOML file, turning syntax errors into a ContentError naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"is not valid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ContentError(path, "is not UTF-8 text") from error


def update_or_create(model, lookup: dict, values: dict, *, kind: str, stats: LoadStats):
    """Create or update one row, recording whether anything actually changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        stats.record(kind, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        stats.record(kind, "updated")
    else:
        stats.record(kind, "unchanged")
    return obj
