"""Template filters for the progress pages."""

from functools import lru_cache

from django import template
from django.utils.html import format_html, format_html_join

from progress import item_analysis, phrasing

register = template.Library()

# The dashboard's sentences (progress/phrasing.py); the text is escaped by the template.
register.filter("objective_sentence", phrasing.objective_sentence)
register.filter("cell_sentence", phrasing.cell_sentence)
register.filter("change_words", phrasing.change_words)
register.filter("question_sentence", phrasing.question_sentence)
register.filter("worth_a_look", item_analysis.worth_a_look)

DONE = format_html(
    '<td class="cell-done">{}<span class="visually-hidden">{}</span></td>', "✓", "done"
)
NOT_DONE = format_html(
    '<td class="cell-not-done"><span aria-hidden="true">{}</span>'
    '<span class="visually-hidden">{}</span></td>',
    "·",
    "not done",
)


@register.filter
def heatmap_cells(cells):
    """One member's cells in the heatmap's table: done or not, per lesson."""
    return _cells(tuple(bool(cell) for cell in cells))


@lru_cache(maxsize=4096)
def _cells(cells: tuple[bool, ...]):
    # Lessons are mostly done in course order, so the rows of a 1,000-member team repeat a
    # few hundred patterns at most: each is joined once instead of once per member, cell by
    # cell in the template (tens of milliseconds at 1,000 members).
    return format_html_join("", "{}", ((DONE if cell else NOT_DONE,) for cell in cells))
