"""Writes of the matrix app that touch several rows: a learner's predictions.

Every try is kept. The first prediction a learner makes for a cell is marked ``is_first``,
and a partial unique constraint (one ``is_first`` per user and cell) guarantees that even
when two submissions race: the loser of the race saves its predictions as later tries.
Checking a prediction form is ``matrix.predictions.check_predictions``; it writes nothing.
"""

import uuid
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from core.confidence import parse_confidence

from .models import DecisionMatrix, MatrixColumn, MatrixPrediction
from .predictions import is_right, verdict_choices
from .selectors import MatrixGrid, matrix_grid

# Attempts at saving a submission when concurrent submissions keep taking the first place.
MAX_SAVE_ATTEMPTS = 3


def record_predictions(
    *,
    user,
    matrix: DecisionMatrix,
    column: MatrixColumn,
    predictions: Mapping[str, str],
    confidence: str = "",
    grid: MatrixGrid | None = None,
) -> uuid.UUID:
    """Save one prediction per row of ``matrix`` for ``column``; return the submission id.

    ``column`` must be one of the matrix's hidden (non-default) columns, ``predictions`` must
    map every row key to one of the matrix's verdicts (``verdict_choices``) and
    ``confidence`` be a ``Confidence`` value or blank; anything else raises ``ValueError`` and
    saves nothing. A prediction is right when it is its cell's verdict, and ``is_first`` when
    the user has no earlier prediction for that cell. ``grid``, the matrix as ``matrix_grid``
    loaded it, saves reading its rows and cells again.
    """
    if column.matrix_id != matrix.pk or column.is_default:
        raise ValueError(f"{column!r} is not a column of {matrix!r} that can be predicted")
    if grid is None or grid.matrix.pk != matrix.pk:
        grid = matrix_grid(slug=matrix.slug, include_drafts=True)
    row_keys = {row.key for row in grid.rows}
    found = ((row.key, grid.cells.get((row.pk, column.pk))) for row in grid.rows)
    cells_by_key = {key: cell for key, cell in found if cell is not None}
    if set(predictions) != row_keys:
        raise ValueError("give exactly one prediction for every row")
    if not set(predictions.values()) <= set(verdict_choices(grid)):
        raise ValueError("every prediction must be one of the matrix's verdicts")
    if parse_confidence(confidence) != confidence:
        raise ValueError(f"{confidence!r} is not a confidence")
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
                verdict=by_cell[cell.pk],
                confidence=confidence,
                is_correct=is_right(verdict=by_cell[cell.pk], cell=cell),
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
