"""Plotly figures for the managers' dashboards, built from already aggregated data.

Learner pages draw no plotly: their charts are server-rendered bars (``progress.bars``), as
plotly.min.js alone would break their 30 kB JavaScript budget.

Each function returns a plain dict (``json.loads(plotly.io.to_json(fig))``) for the template's
``json_script``; static/js/charts.js draws it with ``Plotly.newPlot``. The layout uses the
"none" template (the default one adds about 6 kB per figure) and the site's colours. Every
chart sits in a <figure> with a caption, and the same numbers in a table one click away (a
<details> under it). People are named by their display name (``accounts.names``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio

from accounts.names import display_name

INK = "#1b1f24"
MUTED = "#4a5562"
LINE = "#cfd6de"
BRAND = "#0b5c8a"
NOT_DONE = "#e6eaef"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Light ends so the dark percentages printed in the cells stay readable.
SHARE_SCALE = [[0.0, "#f3b9be"], [0.5, "#fff2dc"], [1.0, "#a9dcbb"]]
ROW_HEIGHT = 22
LABEL_LENGTH = 28


def _fill(shape: str, **data) -> dict:
    """A fresh figure from a cached shape, with this request's data in its one trace.

    Shapes (the trace's styling and the layout) are built and validated by plotly once per
    distinct size and kept as JSON: plotly's validation took most of a dashboard's chart
    time (13 of the learner dashboard's 23 ms), and the data are plain lists needing none.
    """
    figure = json.loads(shape)
    figure["data"][0].update(data)
    return figure


def layout(**overrides) -> dict:
    settings = {
        "template": "none",
        "font": {"family": FONT, "color": INK, "size": 13},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "hoverlabel": {"font": {"family": FONT}},
    }
    settings.update(overrides)
    return settings


def short(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def heatmap_chart(*, members: Sequence[str], lessons: Sequence[tuple[str, str]], done: Sequence[Sequence[bool]]) -> dict:
    """Members (rows) x lessons (columns, in course order): done or not.

    ``lessons`` are (label like "1.2", title) pairs; the label keeps two lessons with the same
    title apart. ``done`` has one row per member (one page of members, so at most
    MEMBERS_PER_PAGE shapes are ever cached).
    """
    return _fill(
        _heatmap_shape(len(members)),
        x=[f"{label} {short(title, 22)}" for label, title in lessons],
        z=[[1 if cell else 0 for cell in row] for row in done],
        y=list(members),
        text=[["done" if cell else "not done" for cell in row] for row in done],
    )


@lru_cache(maxsize=64)
def _heatmap_shape(rows: int) -> str:
    fig = go.Figure(
        go.Heatmap(
            zmin=0,
            zmax=1,
            colorscale=[[0, NOT_DONE], [0.5, NOT_DONE], [0.5, BRAND], [1, BRAND]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        **layout(
            height=max(240, 130 + ROW_HEIGHT * rows),
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
        ),
        xaxis={
            "type": "category",
            "tickangle": -40,
            "side": "bottom",
            "automargin": True,
            "showgrid": False,
        },
        yaxis={"autorange": "reversed", "type": "category", "automargin": True, "showgrid": False},
    )
    return pio.to_json(fig)


def funnel_chart(steps: Sequence[tuple[str, int]]) -> dict:
    """How many members completed each lesson of a course, in order."""
    return _fill(
        _funnel_shape(len(steps)),
        y=[short(label, 34) for label, _ in steps],
        x=[count for _, count in steps],
    )


@lru_cache(maxsize=64)
def _funnel_shape(steps: int) -> str:
    fig = go.Figure(
        go.Funnel(
            textinfo="value+percent initial",
            marker={"color": BRAND},
            connector={"fillcolor": NOT_DONE},
            hovertemplate="%{y}: %{x} members<extra></extra>",
        )
    )
    fig.update_layout(
        **layout(height=max(160, 30 + 32 * steps), margin={"l": 10, "r": 10, "t": 10, "b": 10}),
        yaxis={"automargin": True},
    )
    return pio.to_json(fig)


def share_map_chart(
    *, rows: Sequence[str], columns: Sequence[str], shares: Sequence[Sequence[float | None]]
) -> dict:
    """A matrix's cells coloured by the share of first predictions that were right."""
    text = [
        ["no predictions" if share is None else f"{round(100 * share)}%" for share in row]
        for row in shares
    ]
    return _fill(
        _share_map_shape(len(rows)),
        z=[list(row) for row in shares],
        x=list(columns),
        y=list(rows),
        text=text,
    )


@lru_cache(maxsize=64)
def _share_map_shape(rows: int) -> str:
    fig = go.Figure(
        go.Heatmap(
            texttemplate="%{text}",
            textfont={"color": INK, "size": 14},
            zmin=0,
            zmax=1,
            colorscale=SHARE_SCALE,
            # No colour bar: each cell prints its percentage (and plotly's colour bar sets a
            # style attribute, which the CSP blocks).
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y}, %{x}: %{text} right<extra></extra>",
        )
    )
    fig.update_layout(
        **layout(height=max(150, 50 + 38 * rows), margin={"l": 10, "r": 10, "t": 10, "b": 10}),
        xaxis={"side": "bottom", "type": "category", "automargin": True},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
    )
    return pio.to_json(fig)


def member_labels(users: Sequence) -> list[str]:
    """Each user's display name, with the username after any name shared on the chart (a
    category axis would draw two people with one name as one row)."""
    names = [display_name(user) for user in users]
    shared = {name for name, count in Counter(names).items() if count > 1}
    return [
        f"{name} ({user.get_username()})" if name in shared and name != user.get_username() else name
        for name, user in zip(names, users, strict=True)
    ]


def team_charts(dashboard) -> dict:
    """The team dashboard's figures (from a selectors.TeamDashboard), each with its element id.

    Sections without data get no figure: the template shows what to do next instead.
    """
    figures = {"heatmap": None, "funnels": [], "matrices": []}
    if dashboard.member_count and dashboard.lessons:
        rows = dashboard.heatmap_rows()
        figures["heatmap"] = heatmap_chart(
            members=member_labels([membership.user for membership, _ in rows]),
            lessons=[(label, lesson.title) for label, lesson in dashboard.numbered_lessons()],
            done=[cells for _, cells in rows],
        )
    for number, (course, steps) in enumerate(dashboard.funnels, start=1):
        figure = None
        if dashboard.member_count and dashboard.has_activity:
            figure = funnel_chart([(step.lesson.title, step.completed) for step in steps])
        figures["funnels"].append(
            {"id": f"funnel-{number}", "data_id": f"funnel-{number}-data", "course": course, "steps": steps, "figure": figure}
        )
    for number, matrix in enumerate(dashboard.matrices, start=1):
        grid = matrix.grid()
        figure = None
        if matrix.predicted:
            figure = share_map_chart(
                rows=[label for label, _ in grid],
                columns=list(matrix.columns.values()),
                shares=[[cell.share if cell else None for cell in cells] for _, cells in grid],
            )
        figures["matrices"].append(
            {"id": f"matrix-{number}", "data_id": f"matrix-{number}-data", "map": matrix, "grid": grid, "figure": figure}
        )
    return figures
