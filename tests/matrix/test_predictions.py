"""Predict, then reveal: checking predictions, recording them, and the first-kept rule."""

import threading

import pytest
from django.db import connection
from django.db.models import QuerySet

from matrix.models import MatrixPrediction
from matrix.predictions import check_predictions
from matrix.selectors import matrix_grid, prediction_tries, submission_predictions
from matrix.services import record_predictions

RIGHT = {
    "domain-coverage": "no_difference",
    "output-format": "generalist",
    "regulatory-audit": "fine_tune",
    "reasoning-breadth": "generalist",
}


@pytest.fixture
def grid(matrix):
    return matrix_grid(slug="base-strength")


def strong(grid):
    return grid.column("strong")


def post_data(answers, column="strong"):
    return {"column": column, **{f"row-{key}": value for key, value in answers.items()}}


def test_predictions_are_marked_right_or_wrong_against_the_cells(grid, learner):
    answers = dict(RIGHT, **{"output-format": "fine_tune"})
    submission = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=answers)
    saved = {p.cell.row.key: p for p in MatrixPrediction.objects.select_related("cell__row")}
    assert {key: p.is_correct for key, p in saved.items()} == {
        "domain-coverage": True,
        "output-format": False,
        "regulatory-audit": True,
        "reasoning-breadth": True,
    }
    assert {p.submission for p in saved.values()} == {submission}
    assert all(p.cell.column_id == strong(grid).pk for p in saved.values())


def test_the_first_prediction_per_cell_is_kept_and_later_tries_are_saved_too(grid, learner):
    wrong = dict.fromkeys(RIGHT, "fine_tune")
    first = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=wrong)
    second = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    assert MatrixPrediction.objects.count() == 8
    firsts = MatrixPrediction.objects.filter(is_first=True)
    assert firsts.count() == 4
    assert set(firsts.values_list("submission", flat=True)) == {first}
    # The team sees the first (mostly wrong) answers, not the corrected second try.
    assert firsts.filter(is_correct=True).count() == 1
    assert MatrixPrediction.objects.filter(submission=second, is_first=False).count() == 4

    tries = prediction_tries(user=learner, matrix=grid.matrix)
    assert [(t.number, t.right, t.total, t.counts_for_team) for t in tries] == [
        (1, 1, 4, True),
        (2, 4, 4, False),
    ]


def test_first_is_per_learner(grid, learner, make_user):
    other = make_user("other")
    record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    record_predictions(user=other, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    assert MatrixPrediction.objects.filter(user=other, is_first=True).count() == 4


def test_a_lost_race_saves_the_try_as_a_later_one(grid, learner, monkeypatch):
    """Another submission saved a first prediction after this one looked: retry, not fail."""
    record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    looked = []
    real = QuerySet.values_list

    def blind_once(self, *fields, **kwargs):
        # The first look at existing firsts misses the ones the "other" submission saved.
        if self.model is MatrixPrediction and fields == ("cell_id",) and not looked:
            looked.append(True)
            return real(self.none(), *fields, **kwargs)
        return real(self, *fields, **kwargs)

    monkeypatch.setattr(QuerySet, "values_list", blind_once)
    submission = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    assert looked == [True]
    assert MatrixPrediction.objects.filter(submission=submission).count() == 4
    assert not MatrixPrediction.objects.filter(submission=submission, is_first=True).exists()
    assert MatrixPrediction.objects.filter(is_first=True).count() == 4


@pytest.mark.parametrize(
    ("predictions", "column_key", "message"),
    [
        ({k: v for k, v in RIGHT.items() if k != "output-format"}, "strong", "every row"),
        (dict(RIGHT, extra="generalist"), "strong", "every row"),
        (dict(RIGHT, **{"output-format": "maybe"}), "strong", "Winner value"),
        (RIGHT, "weak", "that can be predicted"),
    ],
)
def test_record_predictions_refuses_bad_input_and_saves_nothing(grid, learner, predictions, column_key, message):
    with pytest.raises(ValueError, match=message):
        record_predictions(
            user=learner, matrix=grid.matrix, column=grid.column(column_key), predictions=predictions
        )
    assert MatrixPrediction.objects.count() == 0


def test_check_puts_each_problem_at_its_row(grid):
    data = post_data(dict(RIGHT, **{"output-format": "maybe"}))
    del data["row-regulatory-audit"]
    check = check_predictions(grid=grid, data=data)
    assert not check.is_valid
    assert set(check.row_errors) == {"output-format", "regulatory-audit"}
    assert "not one of the answers" in check.row_errors["output-format"]
    assert check.row_errors["regulatory-audit"] == "Choose who you expect to win on regulatory audit."
    assert check.errors == []


def test_check_refuses_an_unknown_condition_or_column(grid):
    check = check_predictions(grid=grid, data=dict(post_data(RIGHT, column="medium"), **{"row-cost": "generalist"}))
    assert not check.is_valid
    assert any("no hidden column \u201cmedium\u201d" in error for error in check.errors)
    assert any("no condition \u201ccost\u201d" in error for error in check.errors)


def test_check_accepts_a_complete_form(grid):
    check = check_predictions(grid=grid, data=post_data(RIGHT))
    assert check.is_valid
    assert check.column == strong(grid)
    assert check.choices == RIGHT


def test_a_submission_is_only_found_for_its_owner(grid, learner, make_user):
    submission = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    assert len(submission_predictions(user=learner, submission=submission)) == 4
    assert submission_predictions(user=make_user("mallory"), submission=submission) == {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_keep_exactly_one_first_per_cell(tracks, learner):
    """Two submissions by one learner at the same moment, on PostgreSQL: both are saved,
    and each cell has exactly one first prediction."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    from pathlib import Path

    from core.content_files import LoadStats
    from matrix.content import load_matrix
    from matrix.content_reading import read_matrix_file

    shipped = Path(__file__).resolve().parents[2] / "content" / "matrices" / "base-strength.toml"
    load_matrix(read_matrix_file(shipped), path=shipped, stats=LoadStats())
    grid = matrix_grid(slug="base-strength")
    barrier = threading.Barrier(4)
    errors = []

    def submit():
        try:
            barrier.wait()
            record_predictions(user=learner, matrix=grid.matrix, column=grid.column("strong"), predictions=RIGHT)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert MatrixPrediction.objects.count() == 16
    assert MatrixPrediction.objects.filter(is_first=True).count() == 4
    assert MatrixPrediction.objects.filter(is_first=True).values("submission").distinct().count() >= 1
