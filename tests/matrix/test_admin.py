"""Authoring matrices in the admin: inlines, the cell grid, publishing rules, presets."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from matrix.models import AdvisorPreset, DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction


@pytest.fixture
def author(client, make_user):
    client.force_login(make_user("author", is_staff=True, is_superuser=True))
    return client


def change_url(matrix):
    return reverse("admin:matrix_decisionmatrix_change", args=[matrix.pk])


def grid_url(matrix):
    return reverse("admin:matrix_decisionmatrix_cells", args=[matrix.pk])


def change_data(matrix, **overrides):
    """The change form as the admin would post it, with the matrix's current inlines."""
    data = {
        "title": matrix.title,
        "slug": matrix.slug,
        "description": matrix.description,
        "_save": "Save",
    }
    if matrix.is_published:
        data["is_published"] = "on"
    for prefix, rows, fields in (
        ("columns", list(matrix.columns.all()), ["order", "key", "label", "is_default"]),
        ("rows", list(matrix.rows.all()), ["order", "key", "label"]),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for n, obj in enumerate(rows):
            data[f"{prefix}-{n}-id"] = str(obj.pk)
            data[f"{prefix}-{n}-matrix"] = str(matrix.pk)
            for field in fields:
                value = getattr(obj, field)
                if value is True:
                    data[f"{prefix}-{n}-{field}"] = "on"
                elif value is not False:
                    data[f"{prefix}-{n}-{field}"] = str(value)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def grid_data(matrix):
    data = {}
    for cell in MatrixCell.objects.filter(column__matrix=matrix):
        name = f"cell-{cell.row_id}-{cell.column_id}-"
        data[name + "verdict"] = cell.verdict
        data[name + "winner"] = cell.winner
        data[name + "explanation"] = cell.explanation
    return data


def test_changelist_and_change_page_show_readiness_and_tools(author, matrix):
    response = author.get(reverse("admin:matrix_decisionmatrix_changelist"))
    assert response.status_code == 200
    assert "Fine-tune or generalist?" in response.content.decode()
    html = author.get(change_url(matrix)).content.decode()
    assert "Yes: every row \u00d7 column has its cell." in html
    assert f'href="{grid_url(matrix)}">Edit cells as a grid</a>' in html
    assert 'href="/matrix/base-strength/" target="_blank" rel="noopener">Preview as learner</a>' in html


def test_learners_cannot_reach_the_grid(client, learner, matrix):
    client.force_login(learner)
    response = client.get(grid_url(matrix))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_grid_shows_one_row_per_condition_and_a_group_per_column(author, matrix):
    response = author.get(grid_url(matrix))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<th scope="row">') == 4
    assertInHTML(
        '<th scope="col">Weak base <span class="matrix-grid-default">(default)</span></th>', html
    )
    assert html.count("<textarea") == 8
    assert "Prompting works" in html


def test_the_grid_saves_changed_cells(author, matrix):
    data = grid_data(matrix)
    cell = MatrixCell.objects.get(row__key="output-format", column__key="strong")
    data[f"cell-{cell.row_id}-{cell.column_id}-explanation"] = "Careful *prompting* works."
    response = author.post(grid_url(matrix), data)
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.explanation_html == "<p>Careful <em>prompting</em> works.</p>"


def test_a_half_filled_cell_is_refused_and_nothing_is_saved(author, matrix):
    data = grid_data(matrix)
    cell = MatrixCell.objects.get(row__key="output-format", column__key="strong")
    data[f"cell-{cell.row_id}-{cell.column_id}-winner"] = ""
    other = MatrixCell.objects.get(row__key="domain-coverage", column__key="weak")
    data[f"cell-{other.row_id}-{other.column_id}-verdict"] = "Changed"
    response = author.post(grid_url(matrix), data)
    assert response.status_code == 400
    assert "Fill in winner" in response.content.decode()
    other.refresh_from_db()
    assert other.verdict == "Fine-tune wins"


def test_a_published_matrix_needs_every_cell_in_the_grid(author, matrix):
    data = grid_data(matrix)
    cell = MatrixCell.objects.get(row__key="output-format", column__key="strong")
    for part in ("verdict", "winner", "explanation"):
        data[f"cell-{cell.row_id}-{cell.column_id}-{part}"] = ""
    response = author.post(grid_url(matrix), data)
    assert response.status_code == 400
    assert "Missing: Output format \u00d7 Strong base." in response.content.decode()


def test_a_draft_may_leave_cells_empty_but_cannot_then_be_published(author, matrix):
    DecisionMatrix.objects.filter(pk=matrix.pk).update(is_published=False)
    matrix.refresh_from_db()
    MatrixCell.objects.filter(row__key="output-format", column__key="strong").delete()
    response = author.post(grid_url(matrix), grid_data(matrix))
    assert response.status_code == 302

    response = author.post(change_url(matrix), change_data(matrix, is_published="on"))
    assert response.status_code == 200
    assert "Missing: Output format \u00d7 Strong base." in response.content.decode()
    matrix.refresh_from_db()
    assert not matrix.is_published


def test_exactly_one_default_column(author, matrix):
    response = author.post(change_url(matrix), change_data(matrix, **{"columns-1-is_default": "on"}))
    assert response.status_code == 200
    assert "exactly one column" in response.content.decode()
    assert MatrixColumn.objects.filter(is_default=True).count() == 1


def test_a_published_matrix_cannot_lose_its_last_row(author, matrix):
    rows = matrix.rows.count()
    deleting = {f"rows-{n}-DELETE": "on" for n in range(rows)}
    response = author.post(change_url(matrix), change_data(matrix, **deleting))
    assert response.status_code == 200
    assert "Add at least one row (a condition)." in response.content.decode()
    assert matrix.rows.count() == rows


def test_a_published_matrix_cannot_gain_a_column_without_cells(author, matrix):
    data = change_data(
        matrix,
        **{
            "columns-TOTAL_FORMS": "3",
            "columns-2-matrix": str(matrix.pk),
            "columns-2-order": "2",
            "columns-2-key": "frontier",
            "columns-2-label": "Frontier base",
        },
    )
    response = author.post(change_url(matrix), data)
    assert response.status_code == 200
    assert "A new column has no cells yet" in response.content.decode()
    assert not MatrixColumn.objects.filter(key="frontier").exists()


def test_saving_the_unchanged_matrix_works(author, matrix):
    response = author.post(change_url(matrix), change_data(matrix))
    assert response.status_code == 302


def test_preset_admin_edits_reasons_as_checkboxes(author, matrix):
    preset = AdvisorPreset.objects.get(key="diagnostics")
    url = reverse("admin:matrix_advisorpreset_change", args=[preset.pk])
    html = author.get(url).content.decode()
    assert 'type="checkbox" name="reasons" value="latency"' in html
    response = author.post(
        url,
        {
            "matrix": matrix.pk,
            "key": "diagnostics",
            "label": "AI diagnostics",
            "course": preset.course_id,
            "order": 2,
            "base": "strong",
            "reasons": ["latency", "distribution_absent"],
            "note": "Diagnostic reasoning.",
        },
    )
    assert response.status_code == 302
    preset.refresh_from_db()
    assert preset.reasons == ["latency", "distribution_absent"]
    assert author.get(reverse("admin:matrix_advisorpreset_changelist")).status_code == 200


def test_predictions_are_read_only_in_the_admin(author, matrix, learner):
    cell = MatrixCell.objects.first()
    prediction = MatrixPrediction.objects.create(user=learner, cell=cell, predicted="generalist", is_correct=False)
    assert author.get(reverse("admin:matrix_matrixprediction_changelist")).status_code == 200
    assert author.get(reverse("admin:matrix_matrixprediction_add")).status_code == 403
    response = author.post(
        reverse("admin:matrix_matrixprediction_change", args=[prediction.pk]),
        {"predicted": "fine_tune"},
    )
    assert response.status_code == 403
