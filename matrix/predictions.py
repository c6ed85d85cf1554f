"""Predict, then reveal: checking a learner's prediction form, without writing anything.

A prediction form sends ``column`` (the hidden column's key) and one ``row-<row key>`` field
per condition whose value is a ``Winner``. ``check_predictions`` turns that into errors at the
row or a clean mapping; ``matrix.services.record_predictions`` saves a clean one.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .models import Winner
from .selectors import MatrixGrid
from .summary import phrase

ROW_FIELD_PREFIX = "row-"


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
