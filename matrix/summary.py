"""How a matrix reads: one cell as the widget shows it, and the one-line reading of a column.

"With a strong base the generalist wins or matches on 3 of 4 conditions; fine-tuning still
wins on regulatory audit." Nothing in it is written by hand, so it stays true when an
instructor changes a cell.
"""

from .models import Winner

WINNER_ICONS = {
    Winner.FINE_TUNE: "\u25b2",  # an upward triangle: the specialised side
    Winner.GENERALIST: "\u25cf",  # a disc: the general model
    Winner.NO_DIFFERENCE: "=",
}


def cell_view(cell) -> dict | None:
    """A cell's verdict, winner badge and explanation, for the templates."""
    if cell is None:
        return None
    return {
        "verdict": cell.verdict,
        "winner": cell.winner,
        "winner_label": cell.get_winner_display(),
        "icon": WINNER_ICONS.get(cell.winner, ""),
        "explanation_html": cell.explanation_html,
    }


def grid_summary(grid, column) -> str:
    """``column_summary`` of one column of a ``MatrixGrid``."""
    winners = [
        (row.label, cell.winner)
        for row in grid.rows
        if (cell := grid.cell(row, column)) is not None
    ]
    return column_summary(column_label=column.label, winners=winners)


def phrase(label: str) -> str:
    """Lower-case a label for use inside a sentence, keeping acronyms: "ICD codes" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def with_article(label: str) -> str:
    """ "Strong base" -> "a strong base"; "Open-weights model" -> "an open-weights model"."""
    words = phrase(label)
    article = "an" if words[:1].lower() in "aeiou" else "a"
    return f"{article} {words}"


def join_and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" (no serial comma, as in the rest of the course)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def column_summary(*, column_label: str, winners: list[tuple[str, str]]) -> str:
    """Read one column out in a sentence.

    ``winners`` holds (row label, winner) pairs in row order, ``winner`` being a ``Winner``
    value. The majority side leads; the other side's rows are named.
    """
    total = len(winners)
    if total == 0:
        return f"With {with_article(column_label)} no conditions have been filled in yet."
    lead = f"With {with_article(column_label)}"
    fine_tune = [phrase(label) for label, winner in winners if winner == Winner.FINE_TUNE]
    generalist = [phrase(label) for label, winner in winners if winner == Winner.GENERALIST]
    even = [phrase(label) for label, winner in winners if winner == Winner.NO_DIFFERENCE]
    noun = "condition" if total == 1 else "conditions"

    if len(fine_tune) > len(generalist) + len(even):
        if len(fine_tune) == total:
            return f"{lead} fine-tuning wins on every condition."
        sentence = f"{lead} fine-tuning wins on {len(fine_tune)} of {total} {noun}"
        others = []
        if generalist:
            others.append(f"the generalist wins on {join_and(generalist)}")
        if even:
            others.append(f"it makes no difference on {join_and(even)}")
        return f"{sentence}; {' and '.join(others)}."

    if not generalist:
        head = f"{lead} fine-tuning makes no difference on"
    elif not even:
        head = f"{lead} the generalist wins on"
    else:
        head = f"{lead} the generalist wins or matches on"
    count = len(generalist) + len(even)
    if count == total:
        return f"{head} every condition."
    sentence = f"{head} {count} of {total} {noun}"
    return f"{sentence}; fine-tuning still wins on {join_and(fine_tune)}."
