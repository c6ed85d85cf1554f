"""The decision-matrix widget's context, on its own page or inside a lesson.

``matrix.modes.resolve`` turns a widget's ``WidgetState`` (``matrix.placement``) into what to
show; ``widget_context`` builds the ``widget`` partial's context from that with small
builders, one per part of the region (the predict-then-reveal parts are in
``matrix.predict_panel``).
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from config.page_cache import keep_out
from core import shared

from .advisor_panel import advisor_context
from .modes import Resolved, resolve
from .placement import MATRIX_PARAMS, Placement, WidgetState, hx_link, hx_url, which_matrix
from .predict_panel import accuracy_context, predict_context, reveal_context, tries_context
from .predictions import PredictionCheck
from .selectors import MatrixGrid, matrix_grid
from .summary import cell_view, grid_summary, with_article

# Builders ----------------------------------------------------------------------------------


def _phrase(column) -> str:
    return with_article(column.label) if column else ""


def _links(grid: MatrixGrid, placement: Placement, shown: Resolved) -> dict:
    """The view links (plain and htmx twins) and where logging in to predict leads back."""
    default = grid.default_column
    base = shown.selected.key if shown.selected and shown.selected != default else ""
    if shown.mode == "predict":
        base = ""  # Leaving the predict view goes to the column that is shown, not the hidden one.
    target_key = shown.target.key if shown.target else ""
    predict = placement.url(MATRIX_PARAMS, base=target_key, view="predict")
    return {
        "links": {
            "explore": placement.url(MATRIX_PARAMS, base=base),
            "compare": placement.url(MATRIX_PARAMS, base=base, view="compare"),
            "predict": predict,
            "target": placement.url(MATRIX_PARAMS, base=target_key),
        },
        "hx_links": {
            "explore": hx_link(grid, placement, MATRIX_PARAMS, base=base),
            "compare": hx_link(grid, placement, MATRIX_PARAMS, base=base, view="compare"),
            "predict": hx_link(grid, placement, MATRIX_PARAMS, base=target_key, view="predict"),
            "target": hx_link(grid, placement, MATRIX_PARAMS, base=target_key),
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
        "summary": grid_summary(grid, column),
        "rows": [
            {"key": row.key, "label": row.label, "cell": cell_view(grid.cell(row, column))}
            for row in grid.rows
        ],
    }


def _compare_context(grid: MatrixGrid, withheld: list) -> dict:
    """Every column side by side, but those withheld until the learner predicts them."""
    columns = [column for column in grid.columns if column not in withheld]
    return {
        "compare_columns": [column.label for column in columns],
        "compare_rows": [
            {
                "label": row.label,
                # Each cell carries its column's label: a narrow widget shows it in the cell.
                "cells": [
                    {"label": column.label, "cell": cell_view(grid.cell(row, column))}
                    for column in columns
                ],
            }
            for row in grid.rows
        ],
        "summaries": [grid_summary(grid, column) for column in columns],
        "withheld": [
            {"label": column.label, "phrase": with_article(column.label)} for column in withheld
        ],
    }


def _status_line(ctx) -> str:
    """What a screen reader hears after the widget changes."""
    mode = ctx["mode"]
    if mode == "reveal":
        line = f"You predicted {ctx['score']} of {len(ctx['reveal_rows'])} right. "
        if ctx["confidently_wrong"]:
            count = ctx["confidently_wrong"]
            line += f"{count} you were sure of {'was' if count == 1 else 'were'} wrong. "
        return line + ctx.get("summary", "")
    if mode == "predict":
        errors = len(ctx.get("check_errors", [])) + sum(
            1 for row in ctx.get("predict_rows", []) if row["error"]
        )
        if errors:
            return f"Your predictions were not saved: {errors} to correct."
        return f"Predict first: the {ctx['target'].label.lower()} column is hidden."
    if mode == "compare":
        if ctx["withheld"]:
            hidden = ", ".join(column["label"].lower() for column in ctx["withheld"])
            return f"Predict first: the {hidden} column is hidden until you do. " + " ".join(
                ctx["summaries"]
            )
        return "All columns side by side. " + " ".join(ctx["summaries"])
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
        ctx |= _compare_context(grid, shown.withheld)
    if shown.mode == "predict":
        ctx |= predict_context(
            grid, placement, check=check, target=shown.target, page_query=ctx["page_query"]
        )
    if shown.mode == "reveal":
        reveal = reveal_context(grid, placement, shown.revealed)
        ctx["links"]["again"] = reveal.pop("again")
        ctx["hx_links"]["again"] = reveal.pop("hx_again")
        ctx |= reveal | accuracy_context(grid, shown.history)
    if shown.mode in ("predict", "reveal"):
        ctx |= tries_context(grid, placement, shown.history, ctx.get("submission"))
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
    A lesson without a query string shows every widget in its explore view, the same to
    everyone (``WidgetState.is_personal``): that region is rendered once per content version
    (``core.shared.fragment``; a matrix's edit, cells included, moves its ``updated_at`` and
    so the version). Any query string renders it per request.
    """
    placement = Placement.for_page(request, index=index)
    # The stylesheet and script go with the first matrix on the page only.
    with_assets = not getattr(request, "_matrix_assets_sent", False)
    request._matrix_assets_sent = True

    def render():
        grid = matrix_grid(slug=slug)
        if grid is None:
            return render_to_string(
                "matrix/page.html#missing", {"slug": slug, "id": placement.id}, request=request
            )
        context = page_context(request, grid=grid, placement=placement, embedded=True)
        context["with_assets"] = with_assets
        return render_to_string("matrix/page.html#embed", context, request=request)

    if request.GET:
        return render()
    key = shared.key(request, "matrix-embed", slug, index, placement.page_path, with_assets)
    return shared.fragment(request, key, render)


def matrix_exists(slug: str) -> bool:
    from .models import DecisionMatrix

    return DecisionMatrix.objects.filter(slug=slug, is_published=True).exists()
