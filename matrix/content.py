"""Decision matrices as files: ``content/matrices/<slug>.toml``, read in and written back.

The format is in ``content/README.md``. A file is the whole truth about its matrix: loading
creates or updates the matrix, its columns, rows, cells and advisor presets by key, in file
order, and removes columns, rows and presets the file no longer has. A column or row that
learners have made predictions on is never removed silently; the load stops with an error
instead. Every row x column must have exactly one cell.

``export_matrices`` writes the same format back. Loading an exported file and exporting again
gives byte-identical files.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.content_files import (
    UNCHANGED,
    UPDATED,
    ContentError,
    LoadStats,
    find_or_build,
    read_toml,
    toml_text,
    update_or_create,
    write_text,
)
from courses.models import Course

from . import advice
from .models import (
    AdvisorPreset,
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
    Winner,
    normalise_newlines,
)
from .validation import matrix_problems

FOLDER = "matrices"
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


# Reading ----------------------------------------------------------------------------------


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


def load_matrices(root: Path, stats: LoadStats) -> None:
    """Load every ``matrices/*.toml`` under ``root`` (the content handler's ``load``)."""
    folder = Path(root) / FOLDER
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        load_matrix(read_matrix_file(path), path=path, stats=stats)


def load_matrix(spec: MatrixFile, *, path: Path, stats: LoadStats) -> DecisionMatrix:
    """Write one checked matrix file to the database; count what changed in ``stats``."""
    values = {
        "title": spec.title,
        "description": spec.description,
        "is_published": spec.is_published,
    }
    matrix, outcome = find_or_build(DecisionMatrix, {"slug": spec.slug}, values)
    if outcome != UNCHANGED:
        matrix.save()
    removed = False

    columns = {}
    for order, column in enumerate(spec.columns):
        columns[column["key"]] = update_or_create(
            MatrixColumn,
            {"matrix": matrix, "key": column["key"]},
            {"label": column["label"], "order": order, "is_default": column["is_default"]},
            kind="matrix columns",
            stats=stats,
        )
    rows = {}
    for order, row in enumerate(spec.rows):
        rows[row["key"]] = update_or_create(
            MatrixRow,
            {"matrix": matrix, "key": row["key"]},
            {"label": row["label"], "order": order},
            kind="matrix rows",
            stats=stats,
        )
    removed |= _remove_stale(path, matrix, set(columns), set(rows))

    for cell in spec.cells:
        _load_cell(path, rows[cell["row"]], columns[cell["column"]], cell, stats)

    courses = {
        course.slug: course
        for course in Course.objects.filter(
            slug__in=[preset["course"] for preset in spec.presets if preset["course"]]
        )
    }
    for order, preset in enumerate(spec.presets):
        course = None
        if preset["course"]:
            course = courses.get(preset["course"])
            if course is None:
                raise ContentError(
                    path,
                    f"preset '{preset['key']}': there is no course '{preset['course']}' "
                    "(course folders are loaded before matrices)",
                )
        update_or_create(
            AdvisorPreset,
            {"matrix": matrix, "key": preset["key"]},
            {
                "label": preset["label"],
                "course": course,
                "order": order,
                "base": preset["base"],
                "reasons": preset["reasons"],
                "perception": preset["perception"],
                "note": preset["note"],
            },
            kind="advisor presets",
            stats=stats,
        )
    stale_presets = AdvisorPreset.objects.filter(matrix=matrix).exclude(
        key__in=[preset["key"] for preset in spec.presets]
    )
    removed |= stale_presets.delete()[0] > 0

    if removed and outcome == UNCHANGED:
        outcome = UPDATED
    stats.record("matrices", outcome)
    return matrix


def _load_cell(path, row, column, cell, stats):
    try:
        update_or_create(
            MatrixCell,
            {"row": row, "column": column},
            {
                "verdict": cell["verdict"],
                "winner": cell["winner"],
                "explanation": cell["explanation"],
            },
            kind="matrix cells",
            stats=stats,
        )
    except ValidationError as error:
        raise ContentError(path, f"cell {cell['row']} x {cell['column']}: {error}") from error


def _remove_stale(path, matrix, column_keys: set[str], row_keys: set[str]) -> bool:
    """Delete columns and rows the file no longer has, unless learners predicted on them."""
    stale_columns = MatrixColumn.objects.filter(matrix=matrix).exclude(key__in=column_keys)
    stale_rows = MatrixRow.objects.filter(matrix=matrix).exclude(key__in=row_keys)
    predicted = MatrixPrediction.objects.filter(
        Q(cell__column__in=stale_columns) | Q(cell__row__in=stale_rows)
    ).values_list("cell__row__label", "cell__column__label")
    names = sorted({f"{row} x {column}" for row, column in predicted})
    if names:
        raise ContentError(
            path,
            "the file drops a row or column that learners have made predictions on ("
            + ", ".join(names)
            + "); keep it in the file, or delete it in the admin if losing those predictions "
            "is intended",
        )
    # Deleting a column or row deletes its cells with it.
    removed = stale_columns.delete()[0] + stale_rows.delete()[0]
    return removed > 0


# Writing ----------------------------------------------------------------------------------


def dump_matrix(matrix: DecisionMatrix) -> str:
    """The matrix as the text of its TOML file, in the format ``read_matrix_file`` reads."""
    columns = list(matrix.columns.all())
    rows = list(matrix.rows.all())
    cells = {
        (cell.row_id, cell.column_id): cell
        for cell in MatrixCell.objects.filter(column__matrix=matrix)
    }
    # None values are left out of the file.
    parts = [
        toml_text(
            {
                "title": matrix.title,
                "description": matrix.description or None,
                "is_published": matrix.is_published,
            }
        )
    ]
    for column in columns:
        default = True if column.is_default else None
        parts.append(
            "[[columns]]\n"
            + toml_text({"key": column.key, "label": column.label, "default": default})
        )
    for row in rows:
        parts.append("[[rows]]\n" + toml_text({"key": row.key, "label": row.label}))
    for row in rows:
        for column in columns:
            cell = cells.get((row.pk, column.pk))
            if cell is None:
                continue
            parts.append(
                "[[cells]]\n"
                + toml_text(
                    {
                        "row": row.key,
                        "column": column.key,
                        "verdict": cell.verdict,
                        "winner": cell.winner,
                        "explanation": cell.explanation,
                    }
                )
            )
    for preset in matrix.presets.select_related("course").order_by("order", "id"):
        parts.append(
            "[[presets]]\n"
            + toml_text(
                {
                    "key": preset.key,
                    "label": preset.label,
                    "course": preset.course.slug if preset.course else None,
                    "base": preset.base,
                    "reasons": list(preset.reasons),
                    "perception": preset.perception,
                    "note": preset.note,
                }
            )
        )
    return "\n".join(parts)


def export_matrices(root: Path) -> None:
    """Write every matrix to ``root/matrices/<slug>.toml`` (the content handler's ``export``)."""
    for matrix in DecisionMatrix.objects.order_by("slug"):
        write_text(Path(root) / FOLDER / f"{matrix.slug}.toml", dump_matrix(matrix))
