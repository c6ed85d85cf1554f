"""Writes of the matrix app that touch several rows: a learner's predictions.

Every try is kept. The first prediction a learner makes for a cell is marked ``is_first``,
and a partial unique constraint (one ``is_first`` per user and cell) guarantees that even
when two submissions race: the loser of the race saves its predictions as later tries.
Checking a prediction form is ``matrix.predictions.check_predictions``; it writes nothing.
"""

import uuid
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from .models import DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction, Winner
from .selectors import MatrixGrid

# Attempts at saving a submission when concurrent submissions keep taking the first place.
MAX_SAVE_ATTEMPTS = 3


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
