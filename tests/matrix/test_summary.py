"""The one-line reading of a matrix column, computed from the cells' winners."""

import pytest

from matrix.summary import column_summary, join_and, phrase, with_article

FT, GEN, EVEN = "fine_tune", "generalist", "no_difference"


def test_the_strong_column_of_the_source_matrix_reads_as_the_issue_says():
    winners = [
        ("Domain coverage", EVEN),
        ("Output format", GEN),
        ("Regulatory audit", FT),
        ("Reasoning breadth", GEN),
    ]
    assert column_summary(column_label="Strong base", winners=winners) == (
        "With a strong base the generalist wins or matches on 3 of 4 conditions; "
        "fine-tuning still wins on regulatory audit."
    )


def test_the_weak_column_leads_with_fine_tuning():
    winners = [
        ("Domain coverage", FT),
        ("Output format", FT),
        ("Regulatory audit", FT),
        ("Reasoning breadth", EVEN),
    ]
    assert column_summary(column_label="Weak base", winners=winners) == (
        "With a weak base fine-tuning wins on 3 of 4 conditions; "
        "it makes no difference on reasoning breadth."
    )


@pytest.mark.parametrize(
    ("winners", "sentence"),
    [
        ([("A", FT), ("B", FT)], "With a weak base fine-tuning wins on every condition."),
        ([("A", GEN), ("B", GEN)], "With a weak base the generalist wins on every condition."),
        ([("A", EVEN)], "With a weak base fine-tuning makes no difference on every condition."),
        (
            [("A", FT), ("B", GEN), ("C", FT)],
            "With a weak base fine-tuning wins on 2 of 3 conditions; the generalist wins on b.",
        ),
        (
            [("A", FT), ("B", FT), ("C", FT), ("D", GEN), ("E", EVEN)],
            "With a weak base fine-tuning wins on 3 of 5 conditions; the generalist wins on d "
            "and it makes no difference on e.",
        ),
        (
            [("A", FT), ("B", FT), ("C", GEN), ("D", GEN)],
            "With a weak base the generalist wins on 2 of 4 conditions; fine-tuning still wins "
            "on a and b.",
        ),
        ([], "With a weak base no conditions have been filled in yet."),
    ],
)
def test_other_columns_are_read_out_from_their_winners(winners, sentence):
    assert column_summary(column_label="Weak base", winners=winners) == sentence


def test_labels_keep_acronyms_and_take_the_right_article():
    assert phrase("ICD codes") == "ICD codes"
    assert phrase("Output format") == "output format"
    assert with_article("Open-weights model") == "an open-weights model"
    assert with_article("Strong base") == "a strong base"
    assert join_and(["a", "b", "c"]) == "a, b and c"
