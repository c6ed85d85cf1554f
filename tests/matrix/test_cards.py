"""The widget's tables as cards (templates/matrix/page.html, static/css/matrix.css).

On a narrow widget each row is a card and each cell shows its column's header, taken from
its data-label: every cell must carry the header of its own column, in every view, on the
page and in the htmx partial. The table roles that keep the headers for screen readers once
CSS stops laying the table out as a table are there, and each scroller is a named region
with a tab stop.
"""

import html as entities
import re

import pytest

from tests.html import elements
from tests.matrix.test_modes import HX, PREDICT, RIGHT, URL  # the same page and right answers


def table_of(page: str) -> str:
    return re.search(r'<table class="matrix-table.*?</table>', page, re.S).group(0)


def headers_and_labels(table: str) -> tuple[list[str], list[list[str]]]:
    """The column headers after "Condition", and each body row's cells' data-labels."""
    head = re.search(r"<thead.*?</thead>", table, re.S).group(0)
    headers = [th.text for th in elements(head, "th", scope="col")]
    body = re.search(r"<tbody.*?</tbody>", table, re.S).group(0)
    rows = re.findall(r"<tr\b.*?</tr>", body, re.S)
    labels = [
        [entities.unescape(label) for label in re.findall(r'<td[^>]*data-label="([^"]*)"', row)]
        for row in rows
    ]
    assert headers[0] == "Condition"
    return headers[1:], labels


def assert_cards_ready(page: str, columns: list[str]) -> None:
    table = table_of(page)
    headers, labels = headers_and_labels(table)
    assert headers == columns
    assert len(labels) == 4 and all(row == headers for row in labels), labels
    # Explicit roles: a table drawn as blocks is still a table to assistive technology.
    assert table.startswith('<table class="matrix-table') and 'role="table"' in table[:120]
    for tag, role in (("thead", "rowgroup"), ("tbody", "rowgroup"), ("tr", "row"), ("td", "cell")):
        found = elements(table, tag)
        assert found and all(el.attrs.get("role") == role for el in found), tag
    assert all(th.attrs["role"] == "columnheader" for th in elements(table, "th", scope="col"))
    assert all(th.attrs["role"] == "rowheader" for th in elements(table, "th", scope="row"))
    caption = elements(table, "caption")[0]
    assert elements(page, "div", class_="table-scroll", tabindex="0", role="region",
                    aria_labelledby=caption.attrs["id"])  # fmt: skip


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "partial"])
def test_each_cell_of_one_column_is_labelled_with_its_header(client, matrix, headers):
    assert_cards_ready(client.get(URL, headers=headers).content.decode(), ["Verdict", "Why"])


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "partial"])
def test_each_cell_of_compare_is_labelled_with_its_base_strength(client, matrix, headers):
    page = client.get(URL, {"view": "compare"}, headers=headers).content.decode()
    assert_cards_ready(page, ["Weak base", "Strong base"])


def test_a_learner_who_has_not_predicted_gets_labels_for_the_shown_columns_only(
    learner_client, matrix
):
    page = learner_client.get(URL, {"view": "compare"}).content.decode()
    assert_cards_ready(page, ["Weak base"])


def test_each_cell_of_the_reveal_is_labelled(learner_client, matrix):
    page = learner_client.post(PREDICT, {"column": "strong", **RIGHT}, follow=True)
    assert_cards_ready(page.content.decode(), ["Your prediction", "Answer", "Why"])


def test_the_why_toggles_in_compare_name_their_cell(client, matrix):
    page = client.get(URL, {"view": "compare"}).content.decode()
    summaries = [summary.text for summary in elements(page, "summary") if summary.text.startswith("Why")]
    assert "Why: Regulatory audit, Fine-tune wins" in summaries
    assert len(summaries) == 8  # (the header's "Menu" is a summary too)
