"""Reading a matrix file: ``content/matrices/<slug>.toml`` parsed and checked, nothing saved.

``read_matrix_file`` returns a ``MatrixFile`` or raises ContentError naming the file and the
place of the problem; ``matrix.content`` writes what it returns. Whether the matrix may be
published is ``matrix.validation``'s rule, applied here to every file as to the admin.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.content_files import ContentError, read_toml

from . import advice
from .models import MatrixCell, Winner, normalise_newlines
from .validation import matrix_problems

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TOP_KEYS = {"title", "description", "is_published", "columns", "rows", "cells", "presets"}
COLUMN_KEYS = {"key", "label", "default"}
ROW_KEYS = {"key", "label"}
CELL_KEYS = {"row", "column", "verdict", "winner", "explanation"}
PRESET_KEYS = {"key", "label", "course", "base", "reasons", "perception", "note"}


@dataclass
class MatrixFile:
    """A matrix file's contents, checked: everything needed to write the rows."""

    slug: str
    title: str
    description: str
    is_published: bool
    columns: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    presets: list[dict] = field(default_factory=list)


class _Reader:
    """Checks one file's tables, raising ContentError with the file and the place."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, problem: str):
        raise ContentError(self.path, problem)

    def table(self, value, where: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(f"{where} must be a table")
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(
                f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
            )
        return value

    def text(self, table: dict, key: str, where: str, *, max_length=None, required=True) -> str:
        value = table.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{where}: '{key}' must be a non-empty string")
        value = normalise_newlines(value)
        if max_length is not None and len(value) > max_length:
            self.fail(
                f"{where}: '{key}' is {len(value)} characters long; the limit is {max_length}"
            )
        return value

    def slug(self, table: dict, key: str, where: str) -> str:
        value = self.text(table, key, where, max_length=50)
        if not SLUG.match(value):
            self.fail(f"{where}: '{key}' must be a slug (letters, digits, hyphens), not {value!r}")
        return value

    def boolean(self, table: dict, key: str, where: str, default: bool = False) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}: '{key}' must be true or false")
        return value

    def array(self, data: dict, key: str, *, required=True) -> list:
        value = data.get(key, [] if not required else None)
        if not isinstance(value, list) or (required and not value):
            self.fail(f"needs at least one [[{key}]] table")
        return value


def read_matrix_file(path: Path) -> MatrixFile:
    """Parse and check one matrix file; raise ContentError naming the file and the problem."""
    reader = _Reader(path)
    slug = path.stem
    if not SLUG.match(slug):
        reader.fail("the file name must be <slug>.toml, with a slug of letters, digits and hyphens")
    data = reader.table(read_toml(path), "the file", TOP_KEYS)
    spec = MatrixFile(
        slug=slug,
        title=reader.text(data, "title", "the file", max_length=200),
        description=reader.text(data, "description", "the file", required=False),
        is_published=reader.boolean(data, "is_published", "the file"),
    )

    columns = reader.array(data, "columns")
    for number, raw in enumerate(columns, start=1):
        where = f"columns[{number}]"
        table = reader.table(raw, where, COLUMN_KEYS)
        spec.columns.append(
            {
                "key": reader.slug(table, "key", where),
                "label": reader.text(table, "label", where, max_length=100),
                "is_default": reader.boolean(table, "default", where),
            }
        )
    _unique(reader, [column["key"] for column in spec.columns], "column")

    rows = reader.array(data, "rows")
    for number, raw in enumerate(rows, start=1):
        where = f"rows[{number}]"
        table = reader.table(raw, where, ROW_KEYS)
        spec.rows.append(
            {
                "key": reader.slug(table, "key", where),
                "label": reader.text(table, "label", where, max_length=100),
            }
        )
    _unique(reader, [row["key"] for row in spec.rows], "row")

    column_keys = [column["key"] for column in spec.columns]
    row_keys = [row["key"] for row in spec.rows]
    seen = set()
    for number, raw in enumerate(reader.array(data, "cells"), start=1):
        where = f"cells[{number}]"
        table = reader.table(raw, where, CELL_KEYS)
        row = reader.slug(table, "row", where)
        column = reader.slug(table, "column", where)
        if row not in row_keys:
            reader.fail(f"{where}: there is no row '{row}' (rows: {', '.join(row_keys)})")
        if column not in column_keys:
            reader.fail(
                f"{where}: there is no column '{column}' (columns: {', '.join(column_keys)})"
            )
        if (row, column) in seen:
            reader.fail(f"{where}: a second cell for row '{row}' and column '{column}'")
        seen.add((row, column))
        winner = table.get("winner")
        if winner not in Winner.values:
            reader.fail(
                f"{where}: 'winner' must be one of {', '.join(Winner.values)}, not {winner!r}"
            )
        spec.cells.append(
            {
                "row": row,
                "column": column,
                "verdict": reader.text(
                    table, "verdict", where, max_length=MatrixCell.MAX_VERDICT_LENGTH
                ),
                "winner": winner,
                "explanation": reader.text(
                    table, "explanation", where, max_length=MatrixCell.MAX_EXPLANATION_LENGTH
                ),
            }
        )
    # A file is a whole matrix, draft or not: the published rule applies to every file.
    problems = matrix_problems(
        published=True,
        columns=[(column["key"], column["is_default"]) for column in spec.columns],
        rows=row_keys,
        cells={(row_keys.index(row), column_keys.index(column)) for row, column in seen},
    )
    if problems:
        reader.fail(" ".join(problems))

    for number, raw in enumerate(reader.array(data, "presets", required=False), start=1):
        where = f"presets[{number}]"
        table = reader.table(raw, where, PRESET_KEYS)
        base = table.get("base")
        if base not in advice.STRENGTHS:
            reader.fail(
                f"{where}: 'base' must be one of {', '.join(advice.STRENGTHS)}, not {base!r}"
            )
        reasons = table.get("reasons", [])
        if not isinstance(reasons, list) or not all(isinstance(item, str) for item in reasons):
            reader.fail(f"{where}: 'reasons' must be a list of strings")
        unknown = [item for item in reasons if item not in advice.REASONS]
        if unknown:
            reader.fail(
                f"{where}: unknown reason(s) {', '.join(unknown)}; the reasons are "
                + ", ".join(advice.REASONS)
            )
        course = table.get("course")
        if course is not None and (not isinstance(course, str) or not SLUG.match(course)):
            reader.fail(f"{where}: 'course' must be a course slug")
        spec.presets.append(
            {
                "key": reader.slug(table, "key", where),
                "label": reader.text(table, "label", where, max_length=100),
                "course": course,
                "base": base,
                "reasons": [key for key in advice.REASONS if key in reasons],
                "perception": reader.boolean(table, "perception", where),
                "note": reader.text(table, "note", where),
            }
        )
    _unique(reader, [preset["key"] for preset in spec.presets], "preset")
    return spec


def _unique(reader: _Reader, keys: list[str], what: str) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            reader.fail(f"two {what}s have the key '{key}'")
        seen.add(key)


# Loading ----------------------------------------------------------------------------------
