"""progress/charts.py: small figures with the site's look, built from aggregated data."""

import json

from progress import charts


def test_figures_use_a_tiny_template_and_the_site_font():
    figure = charts.funnel_chart([("First lesson", 3), ("Second lesson", 1)])
    assert len(json.dumps(figure["layout"]["template"])) < 200
    assert figure["layout"]["font"]["family"].startswith("system-ui")
    assert figure["data"][0]["y"] == ["First lesson", "Second lesson"]
    assert figure["data"][0]["x"] == [3, 1]


def test_heatmap_marks_done_cells_and_keeps_lesson_columns_distinct():
    figure = charts.heatmap_chart(
        members=["ann", "bob"],
        lessons=[("1.1", "Same title"), ("2.1", "Same title")],
        done=[[True, False], [False, False]],
    )
    heatmap = figure["data"][0]
    assert heatmap["z"] == [[1, 0], [0, 0]]
    # The "course.lesson" label keeps two lessons with one title in two columns.
    assert heatmap["x"] == ["1.1 Same title", "2.1 Same title"]
    assert heatmap["text"] == [["done", "not done"], ["not done", "not done"]]
    assert heatmap["showscale"] is False


def test_share_map_prints_percentages_and_has_no_colour_bar():
    figure = charts.share_map_chart(rows=["Domain", "Format"], columns=["Strong"], shares=[[0.25], [None]])
    heatmap = figure["data"][0]
    assert heatmap["text"] == [["25%"], ["no predictions"]]
    # plotly's colour bar sets a style attribute, which the CSP blocks.
    assert heatmap["showscale"] is False


def test_long_labels_are_shortened():
    assert charts.short("x" * 40, 10) == "x" * 9 + "…"
    assert charts.short("short", 10) == "short"
