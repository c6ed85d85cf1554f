"""Reads for the matrix widget, each a fixed number of queries whatever the matrix's size.

``matrix_grid`` loads a matrix in one query and its columns, rows and cells from the cache,
keyed by the matrix's ``updated_at`` (which ``matrix.signals`` touches whenever a part of the
matrix changes), falling back to three more queries; the widget is rendered from the returned
``MatrixGrid`` without touching the database again. Advisor presets are cached the same way.
"""

import uuid
from dataclasses import dataclass, field
from dataclasses import fields as fields_of
from datetime import datetime
from functools import cached_property

from django.core.cache import cache

from core.confidence import is_confidently_wrong

from .models import AdvisorPreset, DecisionMatrix, MatrixCell, MatrixPrediction, Winner

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

    @cached_property
    def _cells_by_id(self) -> dict:
        return {cell.pk: cell for cell in self.cells.values()}

    def cell_by_id(self, pk: int):
        return self._cells_by_id[pk]


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
class PredictionRecord:
    """One of a learner's predictions, as the widget shows it (a row of one query)."""

    submission: uuid.UUID
    cell_id: int
    verdict: str
    predicted: str
    confidence: str
    is_correct: bool
    is_first: bool
    created_at: datetime

    @property
    def answer_label(self) -> str:
        """The verdict chosen, or for a prediction made before verdicts, the winner."""
        return self.verdict or Winner(self.predicted).label

    @property
    def is_confidently_wrong(self) -> bool:
        return is_confidently_wrong(is_correct=self.is_correct, confidence=self.confidence)


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


@dataclass
class PredictionHistory:
    """Every prediction one learner made in one matrix, oldest first, read in one query.

    The widget's personal parts all come from it: the revealed submission, the tries, the
    columns predicted (for the compare view) and the accuracy per condition.
    """

    grid: MatrixGrid
    records: list[PredictionRecord]

    def _cell(self, record: PredictionRecord):
        return self.grid.cell_by_id(record.cell_id)

    def submission(self, submission: uuid.UUID | None) -> dict[int, PredictionRecord]:
        """The predictions sent together as ``submission``, by cell id (empty if none)."""
        return {r.cell_id: r for r in self.records if r.submission == submission}

    def predicted_column_ids(self) -> set[int]:
        return {self._cell(record).column_id for record in self.records}

    def marks_by_row(self) -> list[tuple[int, bool]]:
        """(row id, is_correct) for every prediction, across all tries."""
        return [(self._cell(record).row_id, record.is_correct) for record in self.records]

    def tries(self) -> list[PredictionTry]:
        """The learner's submissions, oldest first."""
        groups: dict[uuid.UUID, list[PredictionRecord]] = {}
        for record in self.records:
            groups.setdefault(record.submission, []).append(record)
        ordered = sorted(
            groups.items(), key=lambda item: (min(r.created_at for r in item[1]), str(item[0]))
        )
        return [
            PredictionTry(
                number=number,
                submission=submission,
                column_id=self._cell(records[0]).column_id,
                submitted_at=min(r.created_at for r in records),
                total=len(records),
                right=sum(r.is_correct for r in records),
                firsts=sum(r.is_first for r in records),
            )
            for number, (submission, records) in enumerate(ordered, start=1)
        ]


def prediction_history(*, user, grid: MatrixGrid) -> PredictionHistory:
    """The user's predictions for the cells of ``grid``, oldest first, in one query."""
    cell_ids = [cell.pk for cell in grid.cells.values()]
    fields = [f.name for f in fields_of(PredictionRecord)]
    rows = (
        MatrixPrediction.objects.filter(user=user, cell_id__in=cell_ids)
        .order_by("created_at", "pk")
        .values_list(*fields)
    )
    return PredictionHistory(grid=grid, records=[PredictionRecord(*row) for row in rows])
