"""Matrix models: Markdown rendered on save, publishing rules, presets' reasons."""

import pytest
from django.core.exceptions import ValidationError

from matrix.models import (
    AdvisorPreset,
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
)


@pytest.fixture
def draft(db):
    matrix = DecisionMatrix.objects.create(slug="draft", title="Draft")
    MatrixColumn.objects.create(matrix=matrix, key="weak", label="Weak base", is_default=True)
    MatrixColumn.objects.create(matrix=matrix, key="strong", label="Strong base", order=1)
    MatrixRow.objects.create(matrix=matrix, key="audit", label="Regulatory audit")
    return matrix


def test_markdown_fields_are_rendered_and_sanitised_on_save(draft):
    draft.description = "Some **bold**.\r\n\r\n<script>alert(1)</script>"
    draft.save()
    assert draft.description == "Some **bold**.\n\n<script>alert(1)</script>"
    assert "<strong>bold</strong>" in draft.description_html
    assert "<script" not in draft.description_html
    cell = MatrixCell.objects.create(
        row=draft.rows.get(), column=draft.columns.get(key="weak"), verdict="Fine-tune wins",
        winner="fine_tune", explanation="[a link](javascript:alert(1)) and *why*",
    )  # fmt: skip
    assert "<em>why</em>" in cell.explanation_html
    assert "javascript:" not in cell.explanation_html


def test_a_matrix_with_missing_cells_cannot_be_published(draft):
    MatrixCell.objects.create(
        row=draft.rows.get(), column=draft.columns.get(key="weak"), verdict="Fine-tune wins",
        winner="fine_tune", explanation="Why.",
    )  # fmt: skip
    draft.is_published = True
    with pytest.raises(ValidationError) as caught:
        draft.full_clean()
    assert "Missing: Regulatory audit \u00d7 Strong base." in str(caught.value)


def test_a_complete_matrix_can_be_published(draft):
    for column in draft.columns.all():
        MatrixCell.objects.create(
            row=draft.rows.get(), column=column, verdict="Fine-tune wins", winner="fine_tune",
            explanation="Why.",
        )  # fmt: skip
    draft.is_published = True
    draft.full_clean()
    assert draft.publishing_problems() == []


def test_a_new_matrix_cannot_be_published_at_once(db):
    matrix = DecisionMatrix(slug="new", title="New", is_published=True)
    with pytest.raises(ValidationError, match="Save the matrix as a draft first"):
        matrix.full_clean()


def test_publishing_needs_columns_rows_and_one_default(db):
    matrix = DecisionMatrix.objects.create(slug="empty", title="Empty")
    problems = matrix.publishing_problems()
    assert "Add at least one column (a base strength)." in problems
    assert "Add at least one row (a condition)." in problems
    MatrixColumn.objects.create(matrix=matrix, key="a", label="A")
    assert (
        "Mark exactly one column as the default, the one learners see first; none is."
        in matrix.publishing_problems()
    )


def test_correcting_a_cells_winner_remarks_predictions(matrix, learner):
    cell = MatrixCell.objects.get(row__key="reasoning-breadth", column__key="strong")
    right = MatrixPrediction.objects.create(user=learner, cell=cell, predicted="generalist", is_correct=True)
    wrong = MatrixPrediction.objects.create(user=learner, cell=cell, predicted="fine_tune", is_correct=False)
    cell.winner = "fine_tune"
    cell.save()
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert (right.is_correct, wrong.is_correct) == (False, True)


def test_preset_reasons_are_checked_and_kept_in_the_forms_order(matrix):
    preset = AdvisorPreset(
        matrix=matrix, key="x", label="X", base="strong", reasons=["cheaper"], note="Note."
    )
    with pytest.raises(ValidationError, match="Unknown reason cheaper"):
        preset.full_clean()
    preset.reasons = ["latency", "constrained_format", "latency"]
    preset.full_clean()
    preset.save()
    assert preset.reasons == ["constrained_format", "latency"]
    assert preset.note_html == "<p>Note.</p>"


def test_string_forms_and_urls(matrix):
    assert str(matrix) == matrix.title
    assert matrix.get_absolute_url() == "/matrix/base-strength/"
    cell = MatrixCell.objects.select_related("row", "column").get(
        row__key="output-format", column__key="strong"
    )
    assert str(cell) == "Output format / Strong base: Prompting works"
    assert str(AdvisorPreset.objects.get(key="diagnostics")) == "AI diagnostics"
