"""Predict, then reveal: the verdicts to pick from, checking and recording predictions, the
first-kept rule, the compare view's no-peeking rule and accuracy per condition."""

import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import QuerySet

from matrix.models import MatrixPrediction
from matrix.predictions import (
    ConditionAccuracy,
    check_predictions,
    condition_accuracy,
    verdict_choices,
    withheld_columns,
)
from matrix.selectors import matrix_grid, prediction_history
from matrix.services import record_predictions

# The strong column's verdicts, as the shipped matrix has them.
RIGHT = {
    "domain-coverage": "Marginal gain",
    "output-format": "Prompting works",
    "regulatory-audit": "Fine-tune wins",
    "reasoning-breadth": "Generalist wins",
}
VERDICTS = ["Fine-tune wins", "Marginal gain", "No difference", "Prompting works", "Generalist wins"]


def tries(user, grid):
    return prediction_history(user=user, grid=grid).tries()


def submission_predictions(user, grid, submission):
    return prediction_history(user=user, grid=grid).submission(submission)


@pytest.fixture
def grid(matrix):
    return matrix_grid(slug="base-strength")


def strong(grid):
    return grid.column("strong")


def post_data(answers, column="strong"):
    return {"column": column, **{f"row-{key}": value for key, value in answers.items()}}


# The verdicts to choose from ------------------------------------------------------------


def test_the_choices_are_the_matrixs_distinct_verdicts_from_fine_tuning_to_the_generalist(grid):
    """By side (fine-tuning, no difference, the generalist), then by first appearance."""
    assert verdict_choices(grid) == VERDICTS


def test_a_verdict_shared_by_cells_of_two_sides_sits_with_the_first(grid):
    cell = grid.cell(grid.rows[0], grid.column("weak"))  # "Fine-tune wins", fine-tuning's side
    cell.verdict, cell.winner = "Generalist wins", "generalist"
    cell.save()
    grid = matrix_grid(slug="base-strength")
    assert verdict_choices(grid) == ["Fine-tune wins", "Marginal gain", "No difference", "Generalist wins", "Prompting works"]


# Recording -----------------------------------------------------------------------------


def test_predictions_are_right_when_they_are_the_cells_verdict(grid, learner):
    # "No difference" was right when predictions were of the winner; the verdict is "Marginal gain".
    answers = dict(RIGHT, **{"output-format": "Fine-tune wins", "domain-coverage": "No difference"})
    submission = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=answers)
    saved = {p.cell.row.key: p for p in MatrixPrediction.objects.select_related("cell__row")}
    assert {key: p.is_correct for key, p in saved.items()} == {
        "domain-coverage": False,
        "output-format": False,
        "regulatory-audit": True,
        "reasoning-breadth": True,
    }
    assert {p.submission for p in saved.values()} == {submission}
    assert all(p.cell.column_id == strong(grid).pk for p in saved.values())
    assert saved["output-format"].verdict == "Fine-tune wins"
    assert {p.confidence for p in saved.values()} == {""}


def test_the_confidence_is_stored_on_each_prediction_of_the_submission(grid, learner):
    answers = dict(RIGHT, **{"output-format": "Fine-tune wins"})
    record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=answers, confidence="sure")
    saved = {p.cell.row.key: p for p in MatrixPrediction.objects.select_related("cell__row")}
    assert {p.confidence for p in saved.values()} == {"sure"}
    assert [key for key, p in saved.items() if p.is_confidently_wrong] == ["output-format"]


def test_correcting_a_cell_marks_verdict_and_older_winner_predictions_again(grid, learner):
    record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    cell = grid.cell(grid.rows[0], strong(grid))
    older = MatrixPrediction.objects.create(user=learner, cell=cell, predicted="no_difference", is_correct=True)
    cell.verdict, cell.winner = "Fine-tune wins", "fine_tune"
    cell.save()
    by_verdict = MatrixPrediction.objects.get(cell=cell, verdict="Marginal gain")
    assert by_verdict.is_correct is False
    older.refresh_from_db()
    assert older.is_correct is False and older.answer_label == "No difference"


def test_the_first_prediction_per_cell_is_kept_and_later_tries_are_saved_too(grid, learner):
    wrong = dict.fromkeys(RIGHT, "No difference")
    first = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=wrong)
    second = record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    assert MatrixPrediction.objects.count() == 8
    firsts = MatrixPrediction.objects.filter(is_first=True)
    assert firsts.count() == 4
    assert set(firsts.values_list("submission", flat=True)) == {first}
    # The team sees the first (mostly wrong) answers, not the corrected second try.
    assert firsts.filter(is_correct=True).count() == 0
    assert MatrixPrediction.objects.filter(submission=second, is_first=False).count() == 4

    assert [(t.number, t.right, t.total, t.counts_for_team) for t in tries(learner, grid)] == [
        (1, 0, 4, True),
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
        (dict(RIGHT, **{"output-format": "maybe"}), "strong", "matrix's verdicts"),
        (dict(RIGHT, **{"output-format": "generalist"}), "strong", "matrix's verdicts"),
        (RIGHT, "weak", "that can be predicted"),
        ("very sure", "strong", "not a confidence"),
    ],
)
def test_record_predictions_refuses_bad_input_and_saves_nothing(grid, learner, predictions, column_key, message):
    confidence = predictions if isinstance(predictions, str) else ""
    predictions = RIGHT if confidence else predictions
    with pytest.raises(ValueError, match=message):
        record_predictions(
            user=learner, matrix=grid.matrix, column=grid.column(column_key), predictions=predictions,
            confidence=confidence,
        )  # fmt: skip
    assert MatrixPrediction.objects.count() == 0


def test_check_puts_each_problem_at_its_row(grid):
    data = post_data(dict(RIGHT, **{"output-format": "generalist"}))
    del data["row-regulatory-audit"]
    check = check_predictions(grid=grid, data=data)
    assert not check.is_valid
    assert set(check.row_errors) == {"output-format", "regulatory-audit"}
    assert check.row_errors["output-format"] == (
        "\u201cgeneralist\u201d is not one of this matrix's verdicts; choose one of \u201cFine-tune wins\u201d, "
        "\u201cMarginal gain\u201d, \u201cNo difference\u201d, \u201cPrompting works\u201d, \u201cGeneralist wins\u201d."
    )
    assert check.row_errors["regulatory-audit"] == "Choose the verdict you expect for regulatory audit."
    assert check.errors == []


@pytest.mark.parametrize(("given", "stored"), [("", ""), ("sure", "sure"), ("think_so", "think_so"), (" guessing ", "guessing")])
def test_check_takes_an_optional_confidence(grid, given, stored):
    check = check_predictions(grid=grid, data=dict(post_data(RIGHT), confidence=given))
    assert check.is_valid and check.confidence == stored


def test_check_refuses_an_unknown_confidence(grid):
    check = check_predictions(grid=grid, data=dict(post_data(RIGHT), confidence="certain"))
    assert not check.is_valid
    assert check.errors == [
        "\u201ccertain\u201d is not a confidence; choose one of \u201csure\u201d, \u201cthink so\u201d, \u201cguessing\u201d, or none."
    ]


def test_check_refuses_an_unknown_condition_or_column(grid):
    check = check_predictions(grid=grid, data=dict(post_data(RIGHT, column="medium"), **{"row-cost": "Marginal gain"}))
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
    assert len(submission_predictions(learner, grid, submission)) == 4
    assert submission_predictions(make_user("mallory"), grid, submission) == {}


def test_the_history_is_one_query_and_knows_the_predicted_columns(grid, learner, django_assert_num_queries):
    record_predictions(user=learner, matrix=grid.matrix, column=strong(grid), predictions=RIGHT)
    with django_assert_num_queries(1):
        history = prediction_history(user=learner, grid=grid)
    assert history.predicted_column_ids() == {strong(grid).pk}
    assert len(history.records) == 4


# No peeking: what compare withholds -------------------------------------------------------

WEAK, STRONG, OPEN = (SimpleNamespace(pk=n, label=label) for n, label in enumerate(["Weak", "Strong", "Open"], 1))


@pytest.mark.parametrize(
    ("signed_in", "predicted", "withheld"),
    [
        (False, set(), []),  # a visitor cannot predict: compare shows everything, to everyone
        (True, set(), [STRONG, OPEN]),  # a learner who has predicted nothing sees the default only
        (True, {STRONG.pk}, [OPEN]),  # each column is shown once it has been predicted
        (True, {STRONG.pk, OPEN.pk}, []),
        (True, {WEAK.pk}, [STRONG, OPEN]),  # the default column is never withheld
    ],
)
def test_compare_withholds_the_hidden_columns_a_signed_in_learner_has_not_predicted(signed_in, predicted, withheld):
    assert withheld_columns(hidden_columns=[STRONG, OPEN], predicted_column_ids=predicted, signed_in=signed_in) == withheld


# Accuracy per condition, across tries ----------------------------------------------------


def test_accuracy_per_condition_counts_every_try_in_row_order():
    rows = [(1, "Domain coverage"), (2, "Output format"), (3, "Regulatory audit")]
    marks = [(3, False), (1, True), (3, True), (3, False)]
    accuracy = condition_accuracy(rows=rows, marks=marks)
    assert [str(item) for item in accuracy] == ["Domain coverage: 1 of 1 right", "Regulatory audit: 1 of 3 right"]
    assert accuracy[1] == ConditionAccuracy(label="Regulatory audit", right=1, total=3)
    assert accuracy[1].percent == 33


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
