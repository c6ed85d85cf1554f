"""Reads for the matrix widget, each a fixed number of queries whatever the matrix's size.

``matrix_grid`` loads a matrix in one query and its columns, rows and cells from the cache,
keyed by the matrix's ``updated_at`` (which ``matrix.signals`` touches whenever a part of the
matrix changes), falling back to three more queries; the widget is rendered from the returned
``MatrixGrid`` without touching the database again. Advisor presets are cached the same way.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Min, Q

from .models import AdvisorPreset, DecisionMatrix, MatrixCell, MatrixPrediction

# A safety net only: a changed matrix gets a new cache key at once.
CACHE_SECONDS = 60 * 60


def _cache_key(kind: str, matrix: DecisionMatrix) -> str:
    return f"matrix:{kind}:{matrix.pk}:{matrix.updated_at.isoformat()}"


@dataclass
class MatrixGrid:
    """A matrix with its ordered columns and rows and every cell, indexed by (row, column)."""

    matrix: DecisionMatrix
    columns: list
    rows: list
    cells: dict = field(default_factory=dict)

    @property
    def default_column(self):
        for column in self.columns:
            if column.is_default:
                return column
        return self.columns[0] if self.columns else None

    @property
    def hidden_columns(self) -> list:
        """The columns a learner can predict: every column but the default."""
        default = self.default_column
        return [column for column in self.columns if column != default]

    def column(self, key: str):
        for column in self.columns:
            if column.key == key:
                return column
        return None

    def cell(self, row, column):
        return self.cells.get((row.pk, column.pk))


def matrix_grid(*, slug: str, include_drafts: bool = False) -> MatrixGrid | None:
    """The matrix called ``slug`` (published only, unless ``include_drafts``), or None."""
    matrices = DecisionMatrix.objects.filter(slug=slug)
    if not include_drafts:
        matrices = matrices.filter(is_published=True)
    matrix = matrices.first()
    if matrix is None:
        return None
    key = _cache_key("grid", matrix)
    parts = cache.get(key)
    if parts is None:
        columns = list(matrix.columns.all())
        rows = list(matrix.rows.all())
        cells = {
            (cell.row_id, cell.column_id): cell
            for cell in MatrixCell.objects.filter(column__matrix=matrix)
        }
        parts = (columns, rows, cells)
        cache.set(key, parts, CACHE_SECONDS)
    columns, rows, cells = parts
    return MatrixGrid(matrix=matrix, columns=columns, rows=rows, cells=cells)


def advisor_presets(*, matrix: DecisionMatrix) -> list[AdvisorPreset]:
    key = _cache_key("presets", matrix)
    presets = cache.get(key)
    if presets is None:
        presets = list(
            AdvisorPreset.objects.filter(matrix=matrix).select_related("course").order_by("order", "id")
        )
        cache.set(key, presets, CACHE_SECONDS)
    return presets


@dataclass(frozen=True)
class PredictionTry:
    """One submission of predictions: when, for which column, and how many were right."""

    number: int
    submission: uuid.UUID
    column_id: int
    submitted_at: datetime
    total: int
    right: int
    firsts: int

    @property
    def counts_for_team(self) -> bool:
        """True when this try holds a first prediction, the one team results use."""
        return self.firsts > 0


def prediction_tries(*, user, matrix: DecisionMatrix) -> list[PredictionTry]:
    """The user's submissions for this matrix, oldest first, in one query."""
    groups = (
        MatrixPrediction.objects.filter(user=user, cell__column__matrix=matrix)
        .values("submission", "cell__column_id")
        .annotate(
            total=Count("id"),
            right=Count("id", filter=Q(is_correct=True)),
            firsts=Count("id", filter=Q(is_first=True)),
            submitted_at=Min("created_at"),
        )
        .order_by("submitted_at", "submission")
    )
    return [
        PredictionTry(
            number=number,
            submission=group["submission"],
            column_id=group["cell__column_id"],
            submitted_at=group["submitted_at"],
            total=group["total"],
            right=group["right"],
            firsts=group["firsts"],
        )
        for number, group in enumerate(groups, start=1)
    ]


def submission_predictions(*, user, submission: uuid.UUID) -> dict[int, MatrixPrediction]:
    """The user's predictions sent together as ``submission``, by cell id (empty if not theirs)."""
    return {
        prediction.cell_id: prediction
        for prediction in MatrixPrediction.objects.filter(user=user, submission=submission)
    }
