"""What makes a decision matrix well formed, and what it needs before it can be published.

One rule, used by the model (``DecisionMatrix.clean`` and ``publishing_problems``), the
admin's column, row and cell forms, and the content loader (``matrix.content``):

- every matrix: at most ``DecisionMatrix.MAX_COLUMNS`` columns and ``MAX_ROWS`` rows, and
  once it has columns, exactly one of them is the default (the one learners see first);
- a published matrix also: at least one column and one row, and a cell for every
  row x column.

A content file describes a whole matrix, so the loader applies the published rule to every
file, draft or not.
"""

from collections.abc import Collection, Sequence

from .models import DecisionMatrix


def matrix_problems(
    *,
    published: bool,
    columns: Sequence[tuple[str, bool]] | None = None,
    rows: Sequence[str] | None = None,
    cells: Collection[tuple[int, int]] | None = None,
) -> list[str]:
    """Why a matrix with these parts breaks the rule above; an empty list when it does not.

    ``columns`` are (name, is default) and ``rows`` names, in order; the names are only used
    in messages (labels in the admin, keys in content files). ``cells`` holds a (row
    position, column position) pair, counted from 0 in ``rows`` and ``columns``, for each
    cell the matrix has. A part given as None is one the caller does not know (the admin's
    column inline sees its columns only) and is not checked; cells are checked only when
    all three parts are given. Pure: it reads nothing but its arguments.
    """
    problems = []
    if columns is not None:
        problems += _column_problems(columns, published=published)
    if rows is not None:
        if published and not rows:
            problems.append("Add at least one row (a condition).")
        if len(rows) > DecisionMatrix.MAX_ROWS:
            problems.append(
                f"A matrix has at most {DecisionMatrix.MAX_ROWS} rows; this one has {len(rows)}."
            )
    if published and None not in (columns, rows, cells):
        missing = [
            f"{row} \u00d7 {column}"
            for r, row in enumerate(rows)
            for c, (column, _) in enumerate(columns)
            if (r, c) not in cells
        ]
        if missing:
            problems.append(
                "Every row \u00d7 column needs a cell. Missing: " + "; ".join(missing) + "."
            )
    return problems


def _column_problems(columns: Sequence[tuple[str, bool]], *, published: bool) -> list[str]:
    if not columns:
        return ["Add at least one column (a base strength)."] if published else []
    problems = []
    if len(columns) > DecisionMatrix.MAX_COLUMNS:
        problems.append(
            f"A matrix has at most {DecisionMatrix.MAX_COLUMNS} columns; "
            f"this one has {len(columns)}."
        )
    defaults = sum(1 for _, is_default in columns if is_default)
    if defaults != 1:
        problems.append(
            "Mark exactly one column as the default, the one learners see first; "
            + (f"{defaults} are marked." if defaults else "none is.")
        )
    return problems
