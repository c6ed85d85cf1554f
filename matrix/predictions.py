"""Predict, then reveal: checking a learner's predictions and recording them.

A prediction form sends ``column`` (the hidden column's key) and one ``row-<row key>`` field
per condition whose value is a ``Winner``. ``check_predictions`` turns that into errors at the
row or a clean mapping; ``record_predictions`` saves one submission in one transaction.

Every try is kept. The first prediction a learner makes for a cell is marked ``is_first``,
and a partial unique constraint (one ``is_first`` per user and cell) guarantees that even
when two submissions race: the loser of the race saves its predictions as later tries.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .models import DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction, Winner
from .selectors import MatrixGrid
from .summary import phrase

ROW_FIELD_PREFIX = "row-"
# Attempts at saving a submission when concurrent submissions keep taking the first place.
MAX_SAVE_ATTEMPTS = 3


@dataclass
class PredictionCheck:
    """The outcome of checking a prediction form: the column, choices and any errors."""

    column: object = None
    choices: dict[str, str] = field(default_factory=dict)
    row_errors: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.row_errors


def check_predictions(*, grid: MatrixGrid, data: Mapping) -> PredictionCheck:
    """Check posted prediction data against the matrix, naming each problem where it is."""
    check = PredictionCheck()
    column_key = data.get("column", "")
    column = grid.column(column_key)
    if column is None or column not in grid.hidden_columns:
        check.errors.append(
            f"There is no hidden column \u201c{column_key}\u201d to predict in this matrix."
        )
    check.column = column

    known_rows = {row.key for row in grid.rows}
    for name in data:
        if name.startswith(ROW_FIELD_PREFIX) and name[len(ROW_FIELD_PREFIX) :] not in known_rows:
            key = name[len(ROW_FIELD_PREFIX) :]
            check.errors.append(f"There is no condition \u201c{key}\u201d in this matrix.")

    for row in grid.rows:
        value = data.get(ROW_FIELD_PREFIX + row.key, "")
        if not value:
            check.row_errors[row.key] = f"Choose who you expect to win on {phrase(row.label)}."
        elif value not in Winner.values:
            check.row_errors[row.key] = (
                f"\u201c{value}\u201d is not one of the answers; choose fine-tuning, "
                "the generalist or no difference."
            )
        else:
            check.choices[row.key] = value
    return check


def record_predictions(
    *,
    user,
    matrix: DecisionMatrix,
    column: MatrixColumn,
    predictions: Mapping[str, str],
    grid: MatrixGrid | None = None,
) -> uuid.UUID:
    """Save one prediction per row of ``matrix`` for ``column``; return the submission id.

    ``column`` must be one of the matrix's hidden (non-default) columns, and ``predictions``
    must map every row key to a ``Winner`` value; anything else raises ``ValueError`` and
    saves nothing. A prediction is ``is_first`` when the user has no earlier prediction for
    that cell. ``grid``, the matrix as ``matrix_grid`` loaded it, saves reading its rows and
    cells again.
    """
    if column.matrix_id != matrix.pk or column.is_default:
        raise ValueError(f"{column!r} is not a column of {matrix!r} that can be predicted")
    if grid is not None and grid.matrix.pk == matrix.pk:
        row_keys = {row.key for row in grid.rows}
        found = ((row.key, grid.cells.get((row.pk, column.pk))) for row in grid.rows)
        cells_by_key = {key: cell for key, cell in found if cell is not None}
    else:
        row_keys = set(matrix.rows.values_list("key", flat=True))
        cells_by_key = {
            cell.row.key: cell
            for cell in MatrixCell.objects.filter(column=column).select_related("row")
        }
    if set(predictions) != row_keys:
        raise ValueError("give exactly one prediction for every row")
    if not set(predictions.values()) <= set(Winner.values):
        raise ValueError("every prediction must be a Winner value")
    if len(cells_by_key) != len(row_keys):
        raise ValueError("the matrix is missing a cell in this column")
    submission = uuid.uuid4()
    cells = list(cells_by_key.values())
    by_cell = {cell.pk: predictions[key] for key, cell in cells_by_key.items()}

    for attempt in range(1, MAX_SAVE_ATTEMPTS + 1):
        already_first = set(
            MatrixPrediction.objects.filter(
                user=user, cell__in=cells, is_first=True
            ).values_list("cell_id", flat=True)
        )
        rows = [
            MatrixPrediction(
                user=user,
                cell=cell,
                predicted=by_cell[cell.pk],
                is_correct=by_cell[cell.pk] == cell.winner,
                is_first=cell.pk not in already_first,
                submission=submission,
            )
            for cell in cells
        ]
        try:
            # One transaction (a savepoint inside a caller's), so a lost race saves nothing.
            with transaction.atomic():
                MatrixPrediction.objects.bulk_create(rows)
            break
        except IntegrityError:
            # Another submission by the same user saved a first prediction for one of
            # these cells after we looked; look again and save ours as later tries.
            if attempt == MAX_SAVE_ATTEMPTS:
                raise
    return submission
