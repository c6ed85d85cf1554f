"""Decision matrices as files: ``content/matrices/<slug>.toml``, read in and written back.

The format is in ``content/README.md``. A file is the whole truth about its matrix: loading
creates or updates the matrix, its columns, rows, cells and advisor presets by key, in file
order, and removes columns, rows and presets the file no longer has. A column or row that
learners have made predictions on is never removed silently; the load stops with an error
instead. Every row x column must have exactly one cell.

Reading and checking a file is ``matrix.content_reading``; this module writes what it read.
``export_matrices`` writes the same format back. Loading an exported file and exporting again
gives byte-identical files.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.content_files import (
    UNCHANGED,
    UPDATED,
    ContentError,
    LoadStats,
    find_or_build,
    toml_text,
    update_or_create,
    write_text,
)
from courses.models import Course

from .content_reading import MatrixFile, read_matrix_file
from .models import (
    AdvisorPreset,
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
)

FOLDER = "matrices"


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
