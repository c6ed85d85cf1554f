"""The predict-then-reveal parts of the widget (matrix/predict_panel.py): the pick beside the
verdict, confidence and "sure but wrong", accuracy per condition across tries, older
predictions of the winner."""

import re

from matrix.models import MatrixCell, MatrixPrediction

URL = "/matrix/base-strength/"
PREDICT = "/matrix/base-strength/predict/"
HX = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{URL}?base=strong&view=predict"}
RIGHT = {
    "row-domain-coverage": "Marginal gain",
    "row-output-format": "Prompting works",
    "row-regulatory-audit": "Fine-tune wins",
    "row-reasoning-breadth": "Generalist wins",
}


def text(response) -> str:
    return response.content.decode()


def reveal_row(html: str, label: str) -> str:
    return next(row for row in re.findall(r"<tr class=\"matrix-.*?</tr>", html, re.S) if label in row)


def test_a_confidently_wrong_cell_is_flagged_in_the_reveal(learner_client, matrix):
    data = {"column": "strong", **RIGHT, "row-domain-coverage": "No difference", "confidence": "sure"}
    response = learner_client.post(PREDICT, data, headers=HX)
    html = text(response)
    assert "You predicted 3 of 4 right" in html
    assert "1 you were sure of was wrong:" in html
    row = reveal_row(html, "Domain coverage")
    assert 'class="matrix-wrong matrix-sure-wrong"' in row
    assert "Sure, but wrong" in row
    assert '<span class="matrix-predicted">No difference</span>' in row
    assert '<span class="matrix-verdict">Marginal gain</span>' in row
    assert "Sure, but wrong" not in reveal_row(html, "Output format")
    # The screen-reader status line says so too.
    status = re.search(r'<p id="matrix-0-status" hx-swap-oob="innerHTML">(.*?)</p>', html, re.S).group(1)
    assert status.startswith("You predicted 3 of 4 right. 1 you were sure of was wrong.")
    assert set(MatrixPrediction.objects.values_list("confidence", flat=True)) == {"sure"}


def test_a_confidence_that_is_not_sure_is_shown_but_not_flagged(learner_client, matrix):
    data = {"column": "strong", **RIGHT, "row-domain-coverage": "No difference", "confidence": "guessing"}
    html = text(learner_client.post(PREDICT, data, follow=True))
    row = reveal_row(html, "Domain coverage")
    assert "Sure, but wrong" not in row
    assert "You said: guessing" in row
    assert "you were sure of" not in html


def test_accuracy_per_condition_counts_every_try(learner_client, matrix):
    learner_client.post(PREDICT, {"column": "strong", **dict.fromkeys(RIGHT, "Fine-tune wins")})
    learner_client.post(PREDICT, {"column": "strong", **dict.fromkeys(RIGHT, "No difference")})
    html = text(learner_client.post(PREDICT, {"column": "strong", **RIGHT}, follow=True))
    accuracy = re.search(r'<ul class="matrix-accuracy-list">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", accuracy) == [
        "Domain coverage: 1 of 3 right",
        "Output format: 1 of 3 right",
        "Regulatory audit: 2 of 3 right",
        "Reasoning breadth: 1 of 3 right",
    ]
    assert "Your accuracy by condition, across all your tries" in html


def test_a_prediction_of_the_winner_made_before_verdicts_is_shown_as_such(learner_client, learner, matrix):
    cells = MatrixCell.objects.filter(column__key="strong").select_related("row")
    for cell in cells:
        MatrixPrediction.objects.create(
            user=learner, cell=cell, predicted="no_difference", is_correct=cell.winner == "no_difference",
            is_first=True, submission="6f1c1c55-52a4-4b8b-9b1e-1f0d2e0c9a11",
        )  # fmt: skip
    html = text(learner_client.get(URL, {"reveal": "6f1c1c55-52a4-4b8b-9b1e-1f0d2e0c9a11"}))
    assert "You predicted 1 of 4 right" in html  # domain coverage: no difference was its winner
    assert "were made when the matrix asked only who wins" in html
    row = reveal_row(html, "Domain coverage")
    assert '<span class="matrix-predicted">No difference <span class="muted">(who wins)</span></span>' in row
    assert "Right" in row
