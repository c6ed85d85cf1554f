"""The one rule for a matrix's shape and publishing (matrix/validation.py), as a pure function."""

from matrix.models import DecisionMatrix
from matrix.validation import matrix_problems

COLUMNS = [("Weak", True), ("Strong", False)]
ROWS = ["Domain", "Format"]
ALL_CELLS = {(r, c) for r in range(2) for c in range(2)}


def test_a_complete_matrix_can_be_published():
    assert matrix_problems(published=True, columns=COLUMNS, rows=ROWS, cells=ALL_CELLS) == []


def test_a_missing_cell_is_named_by_row_and_column():
    problems = matrix_problems(
        published=True, columns=COLUMNS, rows=ROWS, cells=ALL_CELLS - {(1, 1)}
    )
    assert problems == ["Every row \u00d7 column needs a cell. Missing: Format \u00d7 Strong."]


def test_a_draft_may_miss_cells_and_parts_but_not_its_one_default():
    assert matrix_problems(published=False, columns=COLUMNS, rows=ROWS, cells=set()) == []
    assert matrix_problems(published=False, columns=[], rows=[], cells=set()) == []
    assert matrix_problems(published=False, columns=[("Weak", False)]) == [
        "Mark exactly one column as the default, the one learners see first; none is."
    ]


def test_publishing_needs_a_column_a_row_and_exactly_one_default():
    assert matrix_problems(published=True, columns=[], rows=[], cells=set()) == [
        "Add at least one column (a base strength).",
        "Add at least one row (a condition).",
    ]
    two = [("Weak", True), ("Strong", True)]
    assert matrix_problems(published=True, columns=two) == [
        "Mark exactly one column as the default, the one learners see first; 2 are marked."
    ]


def test_the_limits_hold_for_drafts_too():
    columns = [(f"C{n}", n == 0) for n in range(DecisionMatrix.MAX_COLUMNS + 1)]
    rows = [f"R{n}" for n in range(DecisionMatrix.MAX_ROWS + 1)]
    assert matrix_problems(published=False, columns=columns, rows=rows) == [
        f"A matrix has at most {DecisionMatrix.MAX_COLUMNS} columns; this one has {len(columns)}.",
        f"A matrix has at most {DecisionMatrix.MAX_ROWS} rows; this one has {len(rows)}.",
    ]


def test_parts_the_caller_does_not_know_are_not_checked():
    # The admin's row inline knows only the rows; cells need all three parts to be checked.
    assert matrix_problems(published=True, rows=ROWS) == []
    assert matrix_problems(published=True, columns=COLUMNS, cells=set()) == []
