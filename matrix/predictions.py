"""Predict, then reveal: the rules of predicting, as pure functions of the matrix as loaded.

A prediction form sends ``column`` (the hidden column's key), one ``row-<row key>`` field per
condition whose value is one of the matrix's verdicts (``verdict_choices``), and an optional
``confidence`` (``core.confidence``). ``check_predictions`` turns that into errors at the row
or a clean mapping; ``matrix.services.record_predictions`` saves a clean one. A prediction is
right when it is the cell's verdict.

``withheld_columns`` is the no-peeking rule of the compare view, and ``condition_accuracy``
reads a learner's marks per condition across all their tries.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.confidence import Confidence, parse_confidence

from .models import Winner
from .selectors import MatrixGrid
from .summary import phrase

ROW_FIELD_PREFIX = "row-"
CONFIDENCE_FIELD = "confidence"
# The sides on a scale from one end to the other: the order verdicts are offered in.
SIDES = (Winner.FINE_TUNE, Winner.NO_DIFFERENCE, Winner.GENERALIST)


def verdict_choices(grid: MatrixGrid) -> list[str]:
    """The distinct verdicts of the matrix's cells: what a learner picks from for each cell.

    The order is stable and reads as a scale: by the side a verdict's cells favour (``SIDES``:
    fine-tuning, no difference, the generalist), and within a side in the
    order the verdicts first appear reading the table row by row, column by column. A verdict
    used for cells of different sides sits with the first of them.
    """
    side = {value: n for n, value in enumerate(SIDES)}
    first_seen: dict[str, tuple[int, int]] = {}
    for row in grid.rows:
        for column in grid.columns:
            cell = grid.cell(row, column)
            if cell is not None and cell.verdict not in first_seen:
                first_seen[cell.verdict] = (side.get(cell.winner, len(side)), len(first_seen))
    return sorted(first_seen, key=first_seen.__getitem__)


def is_right(*, verdict: str, cell) -> bool:
    return verdict == cell.verdict


def withheld_columns(
    *, hidden_columns: Sequence, predicted_column_ids: Iterable[int], signed_in: bool
) -> list:
    """The columns the compare view must not show: no peeking before predicting.

    A signed-in learner is asked to predict each hidden column before compare shows it: until
    they have sent predictions for a column (any try), compare shows the other columns and a
    prompt to predict that one first; afterwards it shows everything. A visitor who is not
    signed in cannot predict, so compare shows them everything (and that region is shared).
    """
    if not signed_in:
        return []
    predicted = set(predicted_column_ids)
    return [column for column in hidden_columns if column.pk not in predicted]


@dataclass(frozen=True)
class ConditionAccuracy:
    """How many of a learner's predictions for one condition were right, across all tries."""

    label: str
    right: int
    total: int

    def __str__(self) -> str:
        return f"{self.label}: {self.right} of {self.total} right"

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def condition_accuracy(
    *, rows: Sequence[tuple[object, str]], marks: Iterable[tuple[object, bool]]
) -> list[ConditionAccuracy]:
    """``rows`` are (key, label) in order, ``marks`` (row key, is_correct) for every prediction;
    one ``ConditionAccuracy`` per row that has any, in row order."""
    totals, rights = Counter(), Counter()
    for key, correct in marks:
        totals[key] += 1
        rights[key] += bool(correct)
    return [
        ConditionAccuracy(label=label, right=rights[key], total=totals[key])
        for key, label in rows
        if totals[key]
    ]


@dataclass
class PredictionCheck:
    """The outcome of checking a prediction form: the column, choices and any errors."""

    column: object = None
    choices: dict[str, str] = field(default_factory=dict)
    confidence: str = ""
    row_errors: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.row_errors


def _quoted(items) -> str:
    return ", ".join(f"\u201c{item}\u201d" for item in items)


def _confidence_error(value) -> str:
    labels = _quoted(label.lower() for label in Confidence.labels)
    return f"\u201c{value}\u201d is not a confidence; choose one of {labels}, or none."


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

    confidence = parse_confidence(data.get(CONFIDENCE_FIELD))
    if confidence is None:
        check.errors.append(_confidence_error(data.get(CONFIDENCE_FIELD)))
    else:
        check.confidence = confidence

    verdicts = verdict_choices(grid)
    for row in grid.rows:
        value = (data.get(ROW_FIELD_PREFIX + row.key) or "").strip()
        if not value:
            check.row_errors[row.key] = f"Choose the verdict you expect for {phrase(row.label)}."
        elif value not in verdicts:
            check.row_errors[row.key] = (
                f"\u201c{value}\u201d is not one of this matrix's verdicts; choose one of "
                f"{_quoted(verdicts)}."
            )
        else:
            check.choices[row.key] = value
    return check
