"""The decision-matrix widget's state, links and context, on its own page or inside a lesson.

State lives in the page's query string, so every view of the widget can be shared as a link
and works without JavaScript. A page may hold several widgets: the widget with ``index`` 0
reads the plain parameter names (``?base=strong``), widget ``i`` the same names prefixed
``m<i>-`` (``?m1-base=strong``). Each widget has two groups of parameters, one per form:

- the matrix: ``base`` (a column key), ``view`` (``compare`` or ``predict``), ``reveal`` (the
  id of a submission of predictions to show);
- the advisor: ``preset``, ``strength``, ``reason`` (repeated) and ``perception``.

Every form and link carries the rest of the page's query string, so changing one group keeps
every other group's state. Without JavaScript the forms GET the page they sit on
(``request.path``: a lesson, or the matrix's own page). With htmx they GET the matrix's own
URL with ``widget=<index>&page=<path>``, which renders just that group's region; the server
rebuilds the page URL from the browser's current URL (``HX-Current-URL``) and pushes it with
``HX-Push-Url``, so the address bar keeps the state of every widget on the page.
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from . import advice
from .models import Winner
from .predictions import ROW_FIELD_PREFIX, PredictionCheck
from .selectors import (
    MatrixGrid,
    advisor_presets,
    matrix_grid,
    prediction_tries,
    submission_predictions,
)
from .summary import column_summary, with_article

MATRIX_PARAMS = ("base", "view", "reveal")
ADVISOR_PARAMS = ("preset", "strength", "reason", "perception")
VIEWS = ("compare", "predict")
# Widgets on one page are numbered 0..MAX_INDEX; a larger number in a request is refused.
MAX_INDEX = 99
DEFAULT_STRENGTH = advice.STRONG
WINNER_ICONS = {
    Winner.FINE_TUNE: "\u25b2",  # an upward triangle: the specialised side
    Winner.GENERALIST: "\u25cf",  # a disc: the general model
    Winner.NO_DIFFERENCE: "=",
}


def safe_page_path(request, path: str | None, fallback: str) -> str:
    """A local path to send forms to, or ``fallback`` when ``path`` is missing or foreign."""
    if (
        path
        and path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()})
    ):
        return urlsplit(path).path
    return fallback


def parse_index(value) -> int | None:
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index <= MAX_INDEX else None


@dataclass
class Placement:
    """Where one widget sits: its number on the page, the page's path and its query string."""

    index: int
    page_path: str
    query: QueryDict

    @property
    def id(self) -> str:
        return f"matrix-{self.index}"

    def name(self, param: str) -> str:
        return param if self.index == 0 else f"m{self.index}-{param}"

    def names(self, group) -> dict[str, str]:
        return {param: self.name(param) for param in group}

    def get(self, param: str) -> str:
        return self.query.get(self.name(param), "").strip()

    def getlist(self, param: str) -> list[str]:
        return [value.strip() for value in self.query.getlist(self.name(param))]

    def others(self, group) -> QueryDict:
        """The page's query string without this widget's parameters of ``group``."""
        names = set(self.names(group).values())
        rest = QueryDict(mutable=True)
        for name, values in self.query.lists():
            if name not in names:
                rest.setlist(name, values)
        return rest

    def keep(self, group) -> list[tuple[str, str]]:
        """(name, value) pairs for hidden inputs that carry the rest of the page's state."""
        return [(name, value) for name, values in self.others(group).lists() for value in values]

    @property
    def href(self) -> str:
        """The page's URL with its whole query string: what the address bar should show."""
        encoded = self.query.urlencode()
        return self.page_path + ("?" + encoded if encoded else "")

    def setting(self, group, **values) -> "Placement":
        """This placement with this widget's ``group`` set to ``values`` (empty ones left out)."""
        query = self.others(group)
        for param, value in values.items():
            if param not in group:
                raise ValueError(f"{param} is not in {group}")
            items = value if isinstance(value, list | tuple) else [value]
            items = [str(item) for item in items if item not in ("", None, False)]
            if items:
                query.setlist(self.name(param), items)
        return Placement(index=self.index, page_path=self.page_path, query=query)

    def url(self, group, **values) -> str:
        return self.setting(group, **values).href

    def replacing(self, group, source: QueryDict) -> "Placement":
        """This placement with ``group`` taken from ``source`` (a request's own parameters)."""
        query = self.others(group)
        for param in group:
            values = [value for value in source.getlist(self.name(param)) if value != ""]
            if values:
                query.setlist(self.name(param), values)
        return Placement(index=self.index, page_path=self.page_path, query=query)

    @classmethod
    def for_page(cls, request, *, index: int) -> "Placement":
        return cls(index=index, page_path=request.path, query=request.GET)

    @classmethod
    def for_htmx(cls, request, *, group, params: QueryDict, fallback_path: str) -> "Placement":
        """Where an htmx request came from: ``widget`` and ``page`` in ``params``, the rest
        of the state from the browser's current URL, ``group`` from ``params``."""
        index = parse_index(params.get("widget", 0))
        if index is None:
            index = 0
        page_path = safe_page_path(request, params.get("page"), fallback_path)
        current = urlsplit(request.htmx.current_url_abs_path or "")
        query = QueryDict(current.query if current.path == page_path else "")
        return cls(index=index, page_path=page_path, query=query).replacing(group, params)


def hx_url(grid: MatrixGrid, placement: Placement, name: str = "matrix:detail") -> str:
    """Where htmx sends this widget's requests: the matrix's own view, told where it sits."""
    url = reverse(name, kwargs={"matrix": grid.matrix.slug})
    query = QueryDict(mutable=True)
    if placement.index:
        query["widget"] = str(placement.index)
    if placement.page_path != reverse("matrix:detail", kwargs={"matrix": grid.matrix.slug}):
        query["page"] = placement.page_path
    encoded = query.urlencode()
    return url + ("?" + encoded if encoded else "")


def hx_link(grid: MatrixGrid, placement: Placement, group, **values) -> str:
    """The htmx twin of ``placement.url(group, **values)``: the same state, sent to the
    matrix's own view, which renders only the region that changes."""
    url = hx_url(grid, placement, "matrix:detail" if group == MATRIX_PARAMS else "matrix:advisor")
    target = placement.setting(group, **values)
    params = QueryDict(mutable=True)
    for param in group:
        found = target.query.getlist(placement.name(param))
        if found:
            params.setlist(placement.name(param), found)
    encoded = params.urlencode()
    if not encoded:
        return url
    return url + ("&" if "?" in url else "?") + encoded


def which_matrix(placement: Placement) -> str:
    """Words that tell a second widget's landmarks apart from the first's, for screen readers."""
    return f" (matrix {placement.index + 1} on this page)" if placement.index else ""


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


def widget_context(
    request,
    *,
    grid: MatrixGrid,
    placement: Placement,
    check: PredictionCheck | None = None,
    embedded: bool = False,
) -> dict:
    """Everything the ``widget`` partial shows, worked out from the widget's parameters."""
    user = request.user
    notices = []
    default = grid.default_column
    base_key = placement.get("base")
    selected = grid.column(base_key) if base_key else default
    if selected is None:
        if default is not None:
            notices.append(
                f"This matrix has no base strength \u201c{base_key}\u201d, so it shows "
                f"the {default.label.lower()} column."
            )
        selected = default

    view = placement.get("view")
    if view and view not in VIEWS:
        notices.append(f"There is no \u201c{view}\u201d view; here is the matrix.")
        view = ""

    mode = "compare" if view == "compare" else "explore"
    revealed = None
    reveal_key = placement.get("reveal")
    if check is not None:
        mode = "predict"
    elif reveal_key:
        try:
            submission = uuid.UUID(reveal_key)
        except ValueError:
            submission = None
        if submission and user.is_authenticated:
            in_grid = {cell.pk for cell in grid.cells.values()}
            revealed = {
                cell_id: prediction
                for cell_id, prediction in submission_predictions(
                    user=user, submission=submission
                ).items()
                if cell_id in in_grid
            }
        if revealed:
            mode = "reveal"
        else:
            notices.append(
                "Those predictions could not be found. Log in as the person who made them, "
                "or predict again."
                if not user.is_authenticated
                else "Those predictions could not be found; you can predict again."
            )
    elif view == "predict":
        if not grid.hidden_columns:
            notices.append("This matrix has only one column, so there is nothing to predict.")
        else:
            mode = "predict" if user.is_authenticated else "login"

    target = selected if selected in grid.hidden_columns else None
    if mode == "predict" and check is not None and check.column is not None:
        target = check.column
    if target is None and grid.hidden_columns:
        target = grid.hidden_columns[0]

    def link(**values):
        return placement.url(MATRIX_PARAMS, **values)

    def hx(**values):
        return hx_link(grid, placement, MATRIX_PARAMS, **values)

    base_for_links = selected.key if selected and selected != default else ""
    target_key = target.key if target else ""
    predict_link = link(base=target_key, view="predict")
    ctx = {
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
        "mode": mode,
        "notices": notices,
        "columns": [
            {
                "key": column.key,
                "label": column.label,
                "selected": column == selected,
                "radio_id": f"{placement.id}-base-{column.key}",
            }
            for column in grid.columns
        ],
        "selected": selected,
        "default": default,
        "target": target,
        "links": {
            "explore": link(base=base_for_links),
            "compare": link(base=base_for_links, view="compare"),
            "predict": predict_link,
        },
        "hx_links": {
            "explore": hx(base=base_for_links),
            "compare": hx(base=base_for_links, view="compare"),
            "predict": hx(base=target_key, view="predict"),
        },
        "selected_phrase": with_article(selected.label) if selected else "",
        "default_phrase": with_article(default.label) if default else "",
        "target_phrase": with_article(target.label) if target else "",
        "login_url": f"{reverse('login')}?{urlencode({'next': predict_link})}",
        "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': predict_link})}",
    }

    if selected is not None:
        ctx["summary"] = _summary(grid, selected)
        ctx["rows"] = [
            {"key": row.key, "label": row.label, "cell": _cell_view(grid.cell(row, selected))}
            for row in grid.rows
        ]
    if mode == "compare":
        ctx["compare_rows"] = [
            {
                "label": row.label,
                "cells": [_cell_view(grid.cell(row, column)) for column in grid.columns],
            }
            for row in grid.rows
        ]
        ctx["summaries"] = [_summary(grid, column) for column in grid.columns]
    if mode == "predict":
        _add_predict_context(ctx, grid=grid, placement=placement, check=check, target=target)
    if mode == "reveal":
        _add_reveal_context(ctx, grid=grid, placement=placement, revealed=revealed)
    if mode in ("predict", "reveal"):
        tries = prediction_tries(user=user, matrix=grid.matrix)
        labels = {column.pk: column.label for column in grid.columns}
        current = ctx.get("submission")
        ctx["tries"] = [
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
            for item in reversed(tries)
        ]
    ctx["status"] = _status_line(ctx)
    return ctx


def _add_predict_context(ctx, *, grid, placement, check, target):
    posted = check.choices if check else {}
    row_errors = check.row_errors if check else {}
    default = grid.default_column
    ctx["check_errors"] = check.errors if check else []
    ctx["has_errors"] = bool(check and not check.is_valid)
    ctx["predict_rows"] = [
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
    ctx["predict_hidden"] = [
        ("column", target.key),
        ("widget", str(placement.index)),
        ("page", placement.page_path),
        ("query", ctx["page_query"]),
    ]


def _add_reveal_context(ctx, *, grid, placement, revealed):
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
    ctx["revealed_column"] = column
    ctx["reveal_rows"] = rows
    ctx["score"] = sum(row["right"] for row in rows)
    ctx["submission"] = next(iter(revealed.values())).submission
    ctx["any_first"] = any(row["is_first"] for row in rows)
    ctx["links"]["again"] = placement.url(MATRIX_PARAMS, base=column.key, view="predict")
    ctx["hx_links"]["again"] = hx_link(
        grid, placement, MATRIX_PARAMS, base=column.key, view="predict"
    )
    ctx["revealed_phrase"] = with_article(column.label)
    ctx["summary"] = _summary(grid, column)


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


def advisor_context(
    request, *, grid: MatrixGrid, placement: Placement, embedded: bool = False, presets=None
) -> dict:
    """Everything the ``advisor`` partial shows: the answers, the advice and its drivers."""
    if presets is None:
        presets = advisor_presets(matrix=grid.matrix)
    notices = []
    preset = None
    preset_key = placement.get("preset")
    if preset_key:
        preset = next((item for item in presets if item.key == preset_key), None)
        if preset is None:
            notices.append(f"There is no preset \u201c{preset_key}\u201d; showing your answers.")

    if preset is not None:
        strength = preset.base
        reasons = set(preset.reasons)
        perception = preset.perception
    else:
        strength = placement.get("strength") or DEFAULT_STRENGTH
        if strength not in advice.STRENGTHS:
            notices.append(
                f"\u201c{strength}\u201d is not a base strength; the advisor assumes a strong base."
            )
            strength = DEFAULT_STRENGTH
        asked = placement.getlist("reason")
        unknown = [value for value in asked if value and value not in advice.REASONS]
        if unknown:
            notices.append("Ignored an unknown reason: " + ", ".join(unknown) + ".")
        reasons = {value for value in asked if value in advice.REASONS}
        perception = placement.get("perception") == "yes"

    result = advice.advise(base=strength, reasons=reasons, perception=perception)
    prefix = f"{placement.id}-adv"
    names = placement.names(ADVISOR_PARAMS)
    return {
        "id": f"{placement.id}-advisor",
        "which": which_matrix(placement),
        "h": 3 if embedded else 2,
        "page_path": placement.page_path,
        "hx_url": hx_url(grid, placement, "matrix:advisor"),
        "names": names,
        "keep": placement.keep(ADVISOR_PARAMS),
        "notices": notices,
        "presets": [
            {
                "key": item.key,
                "label": item.label,
                "active": item == preset,
                "id": f"{prefix}-preset-{item.key}",
            }
            for item in presets
        ],
        "preset": preset,
        "preset_course": (
            preset.course if preset and preset.course and preset.course.is_published else None
        ),
        "strengths": [
            {
                "value": value,
                "label": label,
                "checked": value == strength,
                "id": f"{prefix}-strength-{value}",
            }
            for value, label in advice.STRENGTHS.items()
        ],
        "reasons": [
            {
                "value": value,
                "label": label,
                "checked": value in reasons,
                "id": f"{prefix}-reason-{value}",
            }
            for value, label in advice.REASONS.items()
        ],
        "perception": {
            "checked": perception,
            "label": advice.PERCEPTION_LABEL,
            "id": f"{prefix}-perception",
        },
        "advice": result,
        "recommendation": result.recommendation.value,
        "reset_url": placement.url(ADVISOR_PARAMS),
        "reset_hx": hx_link(grid, placement, ADVISOR_PARAMS),
        "status": f"Advice: {result.recommendation.label}.",
    }


def page_context(
    request, *, grid: MatrixGrid, placement: Placement, check=None, embedded=False
) -> dict:
    """The context of the whole widget: the matrix and the advisor beside it."""
    widget = widget_context(request, grid=grid, placement=placement, check=check, embedded=embedded)
    advisor = advisor_context(request, grid=grid, placement=placement, embedded=embedded)
    return {"matrix": grid.matrix, "w": widget, "a": advisor, "embedded": embedded}


def render_embed(request, slug: str, *, index: int) -> str:
    """The lesson embed ``[[matrix:<slug>]]``: the widget and advisor, from our template.

    Registered with ``lessons.embeds``. Without JavaScript its forms GET the lesson itself
    (``request.path``); widget ``index`` reads its own parameters (see the module docstring).
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
