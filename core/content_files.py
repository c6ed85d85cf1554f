"""The content-file toolkit: what every app's loader and exporter of ``content/`` shares.

An app that keeps material in files writes two functions and registers them with
``core.content`` (see there). This module gives them one way to do the parts that do not
depend on what the material is:

- reading: ``read_text`` and ``read_toml`` turn unreadable files into a ``ContentError``;
- checking: ``checked_table`` checks a TOML table against a ``Key`` per allowed key, and
  ``check_model`` runs a model's own field validation, both naming the file and the place;
- writing rows: ``find_or_build`` and ``update_or_create`` create or update a row by its
  natural key (a slug, usually) and tell created, updated and unchanged apart, which
  ``LoadStats`` counts for the report;
- writing files: ``toml_text`` and ``write_text`` give the same bytes on every platform, so
  exporting twice, or loading an export and exporting it again, gives identical files.

Every problem is raised as ``ContentError(path, problem)``; ``load_content`` prints it and
rolls the whole load back.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import tomli_w
from django.core.exceptions import ValidationError

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


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
        """Count one row of ``kind`` ("courses", "matrix cells"): CREATED, UPDATED or UNCHANGED."""
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


# Reading ----------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, or a ContentError if it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(path, "is not UTF-8 text") from error


def read_toml(path: Path) -> dict:
    """Parse a TOML file, turning syntax errors into a ContentError naming the file."""
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"is not valid TOML: {error}") from error


# Checking ---------------------------------------------------------------------------------

_REQUIRED: Any = object()
TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    date: "a TOML date",
}


class Key(NamedTuple):
    """One allowed key of a TOML table: its type and, if it may be left out, its default.

    ``Key(str)`` is required; ``Key(str, default="")`` is optional and reads as "" when absent.
    """

    kind: type
    default: Any = _REQUIRED

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


def checked_table(path: Path, data, keys: dict[str, Key], *, where: str = "") -> dict:
    """The values a TOML table sets, defaults filled in, in the order of ``keys``.

    Refuses a value that is not a table, unknown keys, missing required keys and values of
    the wrong type (a bool is not a whole number; a date-time is not a date). ``where``
    prefixes every problem, e.g. ``"question 2: "`` for a table inside the file.
    """
    if not isinstance(data, dict):
        raise ContentError(path, f"{where}must be a table")
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ContentError(
            path, f"{where}unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}"
        )
    values = {}
    for name, key in keys.items():
        if name not in data:
            if key.required:
                raise ContentError(path, f"{where}'{name}' is missing")
            # A copy, so a mutable default (a list) is never shared between tables.
            values[name] = key.default.copy() if isinstance(key.default, list) else key.default
            continue
        value = data[name]
        if not _is_a(value, key.kind):
            raise ContentError(
                path, f"{where}'{name}' must be {TYPE_NAMES[key.kind]}, not {value!r}"
            )
        values[name] = value
    return values


def _is_a(value, kind: type) -> bool:
    # bool is a subclass of int, and datetime of date; TOML keeps them apart, so do we.
    if kind is int and isinstance(value, bool):
        return False
    if kind is date and hasattr(value, "hour"):
        return False
    return isinstance(value, kind)


def check_model(path: Path, instance, *, where: str = "", exclude=None) -> None:
    """Run the model's own field validation, naming the file, the place and the field.

    Uniqueness and constraints are left to the database: the row being checked may be the
    one already stored. ``exclude`` names fields not checked (relations not saved yet).
    """
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ContentError(path, f"{where}{problems}") from error


# Writing rows -----------------------------------------------------------------------------


def apply_values(instance, values: dict) -> bool:
    """Set ``values`` on ``instance`` (not saved); whether any of them differed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


def find_or_build(model, lookup: dict, values: dict):
    """The row ``lookup`` finds with ``values`` set on it, or a new one; nothing is saved.

    Returns ``(row, outcome)``: CREATED for a new row, else UPDATED or UNCHANGED by whether
    any value differed, so the caller saves only what changed and counts it truthfully.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model(**lookup, **values), CREATED
    return row, UPDATED if apply_values(row, values) else UNCHANGED


def update_or_create(model, lookup: dict, values: dict, *, kind: str, stats: LoadStats):
    """Create or update one row, saving only if something changed, and count it in ``stats``.

    A new row is validated first (``full_clean``; a ValidationError propagates).
    """
    row, outcome = find_or_build(model, lookup, values)
    if outcome == CREATED:
        row.full_clean(validate_unique=False, validate_constraints=False)
    if outcome != UNCHANGED:
        row.save()
    stats.record(kind, outcome)
    return row


# Writing files ----------------------------------------------------------------------------


def toml_value(value) -> str:
    """One TOML value: strings with line breaks as multi-line strings, lists on one line."""
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        # Browsers send textarea lines ending in CRLF; files always have LF.
        value = value.replace("\r\n", "\n")
    line = tomli_w.dumps({"v": value}, multiline_strings=True)
    return line[len("v = ") :].rstrip("\n")


def toml_text(values: dict) -> str:
    """``key = value`` lines for ``values`` in their given order, leaving out None values."""
    return "".join(
        f"{key} = {toml_value(value)}\n" for key, value in values.items() if value is not None
    )


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with Unix newlines, whatever the platform, creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
