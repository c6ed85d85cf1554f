"""The decision-matrix widget's context, on its own page or inside a lesson.

``resolve`` turns a widget's ``WidgetState`` (``matrix.placement``) into what to show: the
mode (explore, compare, predict, reveal, or login for a visitor asked to predict), the
selected and hidden columns, a learner's revealed predictions, and a notice for anything in
the URL that could not be honoured. ``widget_context`` builds the ``widget`` partial's context
from that with small builders, one per part of the region. The user is read only when the
state is personal (``WidgetState.is_personal``) or a prediction form is being answered, so a
region that the page cache shares never holds anything of one learner's.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from config.page_cache import keep_out

from .advisor_panel import advisor_context
from .models import Winner
from .placement import (
    MATRIX_PARAMS,
    VIEWS,
    Placement,
    WidgetState,
    hx_link,
    hx_url,
    which_matrix,
)
from .predictions import ROW_FIELD_PREFIX, PredictionCheck
from .selectors import MatrixGrid, matrix_grid, prediction_tries, submission_predictions
from .summary import column_summary, with_article

WINNER_ICONS = {
    Winner.FINE_TUNE: "\u25b2",  # an upward triangle: the specialised side
    Winner.GENERALIST: "\u25cf",  # a disc: the general model
    Winner.NO_DIFFERENCE: "=",
}


# What to show ------------------------------------------------------------------------------


@dataclass
class Resolved:
    """What one widget shows, decided from its state (and the user, when it is personal)."""

    mode: str
    selected: object
    target: object
    revealed: dict | None = None
    notices: list[str] = field(default_factory=list)


def _selected_column(state: WidgetState, grid: MatrixGrid, notices: list[str]):
    default = grid.default_column
    selected = grid.column(state.base) if state.base else default
    if selected is None and default is not None:
        notices.append(
            f"This matrix has no base strength \u201c{state.base}\u201d, so it shows "
            f"the {default.label.lower()} column."
        )
    return selected or default


def _revealed(state: WidgetState, grid: MatrixGrid, user) -> dict | None:
    """The user's predictions of the submission ``state`` reveals, for this grid's cells."""
    if state.submission is None or not user.is_authenticated:
        return None
    in_grid = {cell.pk for cell in grid.cells.values()}
    found = submission_predictions(user=user, submission=state.submission)
    return {cell_id: item for cell_id, item in found.items() if cell_id in in_grid} or None


def _personal_mode(
    state: WidgetState, grid: MatrixGrid, user, notices, *, fallback: str
) -> tuple[str, dict | None]:
    """The mode of a personal state: reveal for ``reveal``, else predict (login for a
    visitor); ``fallback`` with a notice when neither can be shown."""
    if state.reveal:
        revealed = _revealed(state, grid, user)
        if revealed:
            return "reveal", revealed
        notices.append(
            "Those predictions could not be found; you can predict again."
            if user.is_authenticated
            else "Those predictions could not be found. Log in as the person who made them, "
            "or predict again."
        )
        return fallback, None
    if not grid.hidden_columns:
        notices.append("This matrix has only one column, so there is nothing to predict.")
        return fallback, None
    return ("predict" if user.is_authenticated else "login"), None


def resolve(
    state: WidgetState, *, grid: MatrixGrid, user, check: PredictionCheck | None = None
) -> Resolved:
    """What the widget shows for ``state``; ``check`` is a prediction form being answered.

    ``user`` (lazy, as on the request) is read only for a personal state.
    """
    notices = []
    selected = _selected_column(state, grid, notices)
    if state.view and state.view not in VIEWS:
        notices.append(f"There is no \u201c{state.view}\u201d view; here is the matrix.")
    revealed = None
    matrix_only = "compare" if state.view == "compare" else "explore"
    if check is not None:
        mode = "predict"
    elif state.is_personal:
        mode, revealed = _personal_mode(state, grid, user, notices, fallback=matrix_only)
    else:
        mode = matrix_only

    target = selected if selected in grid.hidden_columns else None
    if mode == "predict" and check is not None and check.column is not None:
        target = check.column
    if target is None and grid.hidden_columns:
        target = grid.hidden_columns[0]
    return Resolved(mode=mode, selected=selected, target=target, revealed=revealed, notices=notices)


# Builders ----------------------------------------------------------------------------------


def _cell_view(cell):
    if cell is None:
        return None
    return {
        "verdict": cell.verdict,
        "winner": cell.winner,
        "winner_label": cell.get_winner_display(),
        "icon": WINNER_ICONS.get(cell.winner, ""),
        "explanation_html": cell.explanation_html,
    }


def _summary(grid: MatrixGrid, column) -> str:
    winners = [
        (row.label, cell.winner)
        for row in grid.rows
        if (cell := grid.cell(row, column)) is not None
    ]
    return column_summary(column_label=column.label, winners=winners)


def _phrase(column) -> str:
    return with_article(column.label) if column else ""


def _links(grid: MatrixGrid, placement: Placement, shown: Resolved) -> dict:
    """The view links (plain and htmx twins) and where logging in to predict leads back."""
    default = grid.default_column
    base = shown.selected.key if shown.selected and shown.selected != default else ""
    target_key = shown.target.key if shown.target else ""
    predict = placement.url(MATRIX_PARAMS, base=target_key, view="predict")
    return {
        "links": {
            "explore": placement.url(MATRIX_PARAMS, base=base),
            "compare": placement.url(MATRIX_PARAMS, base=base, view="compare"),
            "predict": predict,
        },
        "hx_links": {
            "explore": hx_link(grid, placement, MATRIX_PARAMS, base=base),
            "compare": hx_link(grid, placement, MATRIX_PARAMS, base=base, view="compare"),
            "predict": hx_link(grid, placement, MATRIX_PARAMS, base=target_key, view="predict"),
        },
        "login_url": f"{reverse('login')}?{urlencode({'next': predict})}",
        "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': predict})}",
    }


def _frame(grid: MatrixGrid, placement: Placement, shown: Resolved, embedded: bool) -> dict:
    """The region's ids, headings, forms' targets, columns and the chosen column's phrases."""
    return {
        "id": placement.id,
        "index": placement.index,
        "which": which_matrix(placement),
        "embedded": embedded,
        "h": 3 if embedded else 2,
        "matrix": grid.matrix,
        "page_path": placement.page_path,
        "names": placement.names(MATRIX_PARAMS),
        "keep": placement.keep(MATRIX_PARAMS),
        "hx_url": hx_url(grid, placement),
        "predict_action": reverse("matrix:predict", kwargs={"matrix": grid.matrix.slug}),
        "page_query": placement.others(MATRIX_PARAMS).urlencode(),
        "mode": shown.mode,
        "notices": shown.notices,
        "columns": [
            {
                "key": column.key,
                "label": column.label,
                "selected": column == shown.selected,
                "radio_id": f"{placement.id}-base-{column.key}",
            }
            for column in grid.columns
        ],
        "selected": shown.selected,
        "default": grid.default_column,
        "target": shown.target,
        "selected_phrase": _phrase(shown.selected),
        "default_phrase": _phrase(grid.default_column),
        "target_phrase": _phrase(shown.target),
    }


def _column_context(grid: MatrixGrid, column) -> dict:
    return {
        "summary": _summary(grid, column),
        "rows": [
            {"key": row.key, "label": row.label, "cell": _cell_view(grid.cell(row, column))}
            for row in grid.rows
        ],
    }


def _compare_context(grid: MatrixGrid) -> dict:
    return {
        "compare_rows": [
            {
                "label": row.label,
                "cells": [_cell_view(grid.cell(row, column)) for column in grid.columns],
            }
            for row in grid.rows
        ],
        "summaries": [_summary(grid, column) for column in grid.columns],
    }


def _predict_rows(grid: MatrixGrid, placement: Placement, check) -> list[dict]:
    posted = check.choices if check else {}
    row_errors = check.row_errors if check else {}
    default = grid.default_column
    return [
        {
            "key": row.key,
            "label": row.label,
            "field": ROW_FIELD_PREFIX + row.key,
            "fieldset_id": f"{placement.id}-predict-{row.key}",
            "shown": _cell_view(grid.cell(row, default)) if default else None,
            "error": row_errors.get(row.key, ""),
            "choices": [
                {
                    "value": value,
                    "label": label,
                    "id": f"{placement.id}-predict-{row.key}-{value}",
                    "checked": posted.get(row.key) == value,
                }
                for value, label in Winner.choices
            ],
        }
        for row in grid.rows
    ]


def _predict_context(grid, placement, *, check, target, page_query) -> dict:
    return {
        "check_errors": check.errors if check else [],
        "has_errors": bool(check and not check.is_valid),
        "predict_rows": _predict_rows(grid, placement, check),
        "predict_hidden": [
            ("column", target.key),
            ("widget", str(placement.index)),
            ("page", placement.page_path),
            ("query", page_query),
        ],
    }


def _reveal_context(grid: MatrixGrid, placement: Placement, revealed: dict) -> dict:
    """``revealed`` holds predictions for cells of one column of ``grid``, by cell id."""
    cells = {cell.pk: cell for cell in grid.cells.values()}
    column_id = cells[next(iter(revealed))].column_id
    column = next(column for column in grid.columns if column.pk == column_id)
    rows = []
    for row in grid.rows:
        cell = grid.cell(row, column)
        prediction = revealed.get(cell.pk) if cell else None
        if prediction is None:
            continue
        rows.append(
            {
                "label": row.label,
                "cell": _cell_view(cell),
                "predicted": prediction.predicted,
                "predicted_label": prediction.get_predicted_display(),
                "predicted_icon": WINNER_ICONS.get(prediction.predicted, ""),
                "right": prediction.is_correct,
                "is_first": prediction.is_first,
            }
        )
    return {
        "revealed_column": column,
        "reveal_rows": rows,
        "score": sum(row["right"] for row in rows),
        "submission": next(iter(revealed.values())).submission,
        "any_first": any(row["is_first"] for row in rows),
        "again": placement.url(MATRIX_PARAMS, base=column.key, view="predict"),
        "hx_again": hx_link(grid, placement, MATRIX_PARAMS, base=column.key, view="predict"),
        "revealed_phrase": with_article(column.label),
        "summary": _summary(grid, column),
    }


def _tries(grid: MatrixGrid, placement: Placement, user, current) -> list[dict]:
    """The user's tries at this matrix, newest first; ``current`` is the one shown."""
    labels = {column.pk: column.label for column in grid.columns}
    return [
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
        for item in reversed(prediction_tries(user=user, matrix=grid.matrix))
    ]


def _status_line(ctx) -> str:
    """What a screen reader hears after the widget changes."""
    mode = ctx["mode"]
    if mode == "reveal":
        return f"You predicted {ctx['score']} of {len(ctx['reveal_rows'])} right. " + ctx.get(
            "summary", ""
        )
    if mode == "predict":
        errors = len(ctx.get("check_errors", [])) + sum(
            1 for row in ctx.get("predict_rows", []) if row["error"]
        )
        if errors:
            return f"Your predictions were not saved: {errors} to correct."
        return f"Predict first: the {ctx['target'].label.lower()} column is hidden."
    if mode == "compare":
        return "All columns side by side. " + " ".join(ctx.get("summaries", []))
    if mode == "login":
        return "Log in to predict."
    return ctx.get("summary", "")


# The widget --------------------------------------------------------------------------------


def widget_context(
    request,
    *,
    grid: MatrixGrid,
    state: WidgetState,
    check: PredictionCheck | None = None,
    embedded: bool = False,
) -> dict:
    """Everything the ``widget`` partial shows, worked out from the widget's state."""
    placement = state.placement
    shown = resolve(state, grid=grid, user=request.user, check=check)
    ctx = _frame(grid, placement, shown, embedded) | _links(grid, placement, shown)
    if shown.selected is not None:
        ctx |= _column_context(grid, shown.selected)
    if shown.mode == "compare":
        ctx |= _compare_context(grid)
    if shown.mode == "predict":
        ctx |= _predict_context(
            grid, placement, check=check, target=shown.target, page_query=ctx["page_query"]
        )
    if shown.mode == "reveal":
        reveal = _reveal_context(grid, placement, shown.revealed)
        ctx["links"]["again"] = reveal.pop("again")
        ctx["hx_links"]["again"] = reveal.pop("hx_again")
        ctx |= reveal
    if shown.mode in ("predict", "reveal"):
        ctx["tries"] = _tries(grid, placement, request.user, ctx.get("submission"))
    ctx["status"] = _status_line(ctx)
    return ctx


def page_context(
    request, *, grid: MatrixGrid, placement: Placement, check=None, embedded=False
) -> dict:
    """The context of the whole widget: the matrix and the advisor beside it."""
    state = WidgetState.read(placement)
    widget = widget_context(request, grid=grid, state=state, check=check, embedded=embedded)
    advisor = advisor_context(grid=grid, placement=placement, embedded=embedded)
    if widget["notices"] or advisor["notices"]:
        keep_out(request)  # a value in the URL that the widget cannot honour: not kept
    return {"matrix": grid.matrix, "w": widget, "a": advisor, "embedded": embedded}


def render_embed(request, slug: str, *, index: int) -> str:
    """The lesson embed ``[[matrix:<slug>]]``: the widget and advisor, from our template.

    Registered with ``core.embeds``. Without JavaScript its forms GET the lesson itself
    (``request.path``); widget ``index`` reads its own parameters (see ``matrix.placement``).
    """
    grid = matrix_grid(slug=slug)
    placement = Placement.for_page(request, index=index)
    if grid is None:
        return render_to_string(
            "matrix/page.html#missing", {"slug": slug, "id": placement.id}, request=request
        )
    context = page_context(request, grid=grid, placement=placement, embedded=True)
    # The stylesheet and script go with the first matrix on the page only.
    context["with_assets"] = not getattr(request, "_matrix_assets_sent", False)
    request._matrix_assets_sent = True
    return render_to_string("matrix/page.html#embed", context, request=request)


def matrix_exists(slug: str) -> bool:
    from .models import DecisionMatrix

    return DecisionMatrix.objects.filter(slug=slug, is_published=True).exists()
