"""The predict-then-reveal parts of the matrix widget's context: the form, the reveal, the
learner's tries and their accuracy per condition.

Each builder reads the matrix as loaded (``MatrixGrid``) and the learner's
``PredictionHistory`` (one query, made by ``matrix.modes.resolve``); none of them queries.
"""

from core.confidence import Confidence

from .placement import MATRIX_PARAMS, Placement, hx_link
from .predictions import (
    CONFIDENCE_FIELD,
    ROW_FIELD_PREFIX,
    PredictionCheck,
    condition_accuracy,
    verdict_choices,
)
from .selectors import MatrixGrid, PredictionHistory, PredictionRecord
from .summary import cell_view, grid_summary, with_article

CONFIDENCE_LABELS = dict(Confidence.choices)


def _predict_rows(
    grid: MatrixGrid, placement: Placement, check: PredictionCheck | None
) -> list[dict]:
    posted = check.choices if check else {}
    row_errors = check.row_errors if check else {}
    default = grid.default_column
    verdicts = verdict_choices(grid)
    return [
        {
            "key": row.key,
            "label": row.label,
            "field": ROW_FIELD_PREFIX + row.key,
            "fieldset_id": f"{placement.id}-predict-{row.key}",
            "shown": cell_view(grid.cell(row, default)) if default else None,
            "error": row_errors.get(row.key, ""),
            "choices": [
                {
                    "value": verdict,
                    "label": verdict,
                    "id": f"{placement.id}-predict-{row.key}-{number}",
                    "checked": posted.get(row.key) == verdict,
                }
                for number, verdict in enumerate(verdicts)
            ],
        }
        for row in grid.rows
    ]


def _confidence_choices(placement: Placement, check: PredictionCheck | None) -> list[dict]:
    chosen = check.confidence if check else ""
    return [
        {
            "value": value,
            "label": label,
            "id": f"{placement.id}-confidence-{value}",
            "checked": chosen == value,
        }
        for value, label in Confidence.choices
    ]


def predict_context(grid, placement, *, check, target, page_query) -> dict:
    return {
        "check_errors": check.errors if check else [],
        "has_errors": bool(check and not check.is_valid),
        "predict_rows": _predict_rows(grid, placement, check),
        "confidence_field": CONFIDENCE_FIELD,
        "confidence_choices": _confidence_choices(placement, check),
        "predict_hidden": [
            ("column", target.key),
            ("widget", str(placement.index)),
            ("page", placement.page_path),
            ("query", page_query),
        ],
    }


def _reveal_row(row, cell, prediction: PredictionRecord) -> dict:
    return {
        "label": row.label,
        "cell": cell_view(cell),
        "pick": prediction.answer_label,
        "by_winner": not prediction.verdict,
        "right": prediction.is_correct,
        "is_first": prediction.is_first,
        "confidence": CONFIDENCE_LABELS.get(prediction.confidence, ""),
        "confidently_wrong": prediction.is_confidently_wrong,
    }


def reveal_context(grid: MatrixGrid, placement: Placement, revealed: dict) -> dict:
    """``revealed`` holds predictions for cells of one column of ``grid``, by cell id."""
    column_id = grid.cell_by_id(next(iter(revealed))).column_id
    column = next(column for column in grid.columns if column.pk == column_id)
    rows = []
    for row in grid.rows:
        cell = grid.cell(row, column)
        prediction = revealed.get(cell.pk) if cell else None
        if prediction is not None:
            rows.append(_reveal_row(row, cell, prediction))
    return {
        "revealed_column": column,
        "reveal_rows": rows,
        "score": sum(row["right"] for row in rows),
        "confidently_wrong": sum(row["confidently_wrong"] for row in rows),
        "by_winner": any(row["by_winner"] for row in rows),
        "submission": next(iter(revealed.values())).submission,
        "any_first": any(row["is_first"] for row in rows),
        "again": placement.url(MATRIX_PARAMS, base=column.key, view="predict"),
        "hx_again": hx_link(grid, placement, MATRIX_PARAMS, base=column.key, view="predict"),
        "revealed_phrase": with_article(column.label),
        "summary": grid_summary(grid, column),
    }


def accuracy_context(grid: MatrixGrid, history: PredictionHistory) -> dict:
    """The learner's accuracy per condition, across all their tries at this matrix."""
    return {
        "accuracy": condition_accuracy(
            rows=[(row.pk, row.label) for row in grid.rows], marks=history.marks_by_row()
        )
    }


def tries_context(
    grid: MatrixGrid, placement: Placement, history: PredictionHistory, current
) -> dict:
    """The user's tries at this matrix, newest first; ``current`` is the one shown."""
    labels = {column.pk: column.label for column in grid.columns}
    return {
        "tries": [
            {
                "number": item.number,
                "column": labels.get(item.column_id, ""),
                "at": item.submitted_at,
                "right": item.right,
                "total": item.total,
                "counts": item.counts_for_team,
                "current": item.submission == current,
                "url": placement.url(MATRIX_PARAMS, reveal=item.submission),
                "hx": hx_link(grid, placement, MATRIX_PARAMS, reveal=item.submission),
            }
            for item in reversed(history.tries())
        ]
    }
