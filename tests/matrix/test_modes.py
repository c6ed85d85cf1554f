"""What the widget shows (matrix/modes.py): the compare view's no-peeking rule, as a learner,
a visitor and the page cache meet it, on the matrix's page, over htmx and inside a lesson."""

import re

import pytest
from django.test import Client

from matrix.models import MatrixCell, MatrixPrediction

URL = "/matrix/base-strength/"
PREDICT = "/matrix/base-strength/predict/"
HX = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{URL}"}
RIGHT = {
    "row-domain-coverage": "Marginal gain",
    "row-output-format": "Prompting works",
    "row-regulatory-audit": "Fine-tune wins",
    "row-reasoning-breadth": "Generalist wins",
}
PROMPT = "Predict first, then compare."


def text(response) -> str:
    return response.content.decode()


def compare_headers(html: str) -> list[str]:
    table = re.search(r'<table class="matrix-table matrix-compare"[^>]*>.*?</thead>', html, re.S).group(0)
    return re.findall(r'<th scope="col" role="columnheader">([^<]+)</th>', table)


def strong_explanations_shown(html: str) -> list[str]:
    return [
        cell.row.label
        for cell in MatrixCell.objects.filter(column__key="strong").select_related("row")
        if cell.explanation_html[:60] in html
    ]


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "partial"])
def test_a_learner_who_has_not_predicted_compares_only_the_shown_column(learner_client, matrix, headers):
    html = text(learner_client.get(URL, {"view": "compare"}, headers=headers))
    assert compare_headers(html) == ["Weak base"]
    assert strong_explanations_shown(html) == []
    assert "Generalist wins" not in html and "Prompting works" not in html
    assert PROMPT in html
    assert 'href="/matrix/base-strength/?base=strong&amp;view=predict"' in html
    assert "With a strong base" not in html  # nor the strong column's summary


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "partial"])
def test_after_predicting_compare_shows_every_column(learner_client, matrix, headers):
    learner_client.post(PREDICT, {"column": "strong", **RIGHT})
    html = text(learner_client.get(URL, {"view": "compare"}, headers=headers))
    assert compare_headers(html) == ["Weak base", "Strong base"]
    assert PROMPT not in html
    assert len(strong_explanations_shown(html)) == 4


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "partial"])
def test_a_visitor_who_cannot_predict_compares_every_column(client, matrix, headers):
    html = text(client.get(URL, {"view": "compare"}, headers=headers))
    assert compare_headers(html) == ["Weak base", "Strong base"]
    assert PROMPT not in html


def test_the_reveal_links_to_a_compare_that_shows_everything(learner_client, matrix):
    response = learner_client.post(PREDICT, {"column": "strong", **RIGHT}, follow=True)
    compare = re.search(r'href="([^"]+)"[^>]*>Compare all columns', text(response)).group(1)
    html = text(learner_client.get(compare.replace("&amp;", "&")))
    assert compare_headers(html) == ["Weak base", "Strong base"]


def test_leaving_the_predict_view_leads_to_the_shown_column(learner_client, matrix):
    html = text(learner_client.get(URL, {"view": "predict", "base": "strong"}))
    assert 'id="matrix-0-view-explore" href="/matrix/base-strength/"' in html
    assert 'id="matrix-0-view-compare" href="/matrix/base-strength/?view=compare"' in html


# The page cache: the compare region is personal for anyone signed in -----------------------


def test_a_visitors_compare_region_is_never_served_to_a_learner_who_has_not_predicted(
    learner_client, matrix
):
    for _ in range(2):  # the second is the one a kept region would answer
        assert compare_headers(text(Client().get(URL, {"view": "compare"}, headers=HX))) == [
            "Weak base",
            "Strong base",
        ]
    assert compare_headers(text(learner_client.get(URL, {"view": "compare"}, headers=HX))) == [
        "Weak base"
    ]


def test_a_learners_compare_region_is_never_served_to_anyone_else(learner_client, make_user, matrix):
    assert PROMPT in text(learner_client.get(URL, {"view": "compare"}, headers=HX))
    other = Client()
    other.force_login(make_user("predicted-already"))
    other.post(PREDICT, {"column": "strong", **RIGHT})
    for _ in range(2):
        assert PROMPT not in text(other.get(URL, {"view": "compare"}, headers=HX))
        assert PROMPT not in text(Client().get(URL, {"view": "compare"}, headers=HX))
    assert PROMPT in text(learner_client.get(URL, {"view": "compare"}, headers=HX))


def test_a_learners_compare_region_is_never_stored(learner_client, matrix, django_assert_num_queries):
    from config import page_cache

    stored = []
    real_set = page_cache.cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("page:"):
            stored.append(b"".join(raw for raw, _ in value[0]).decode())  # the page's parts
        return real_set(key, value, *args, **kwargs)

    page_cache.cache.set = spy
    try:
        learner_client.get(URL, {"view": "compare"}, headers=HX)
        learner_client.post(PREDICT, {"column": "strong", **RIGHT})
        learner_client.get(URL, {"view": "compare"}, headers=HX)
        Client().get(URL, {"view": "compare"}, headers=HX)
    finally:
        del page_cache.cache.set
    assert len(stored) == 1 and PROMPT not in stored[0]  # the visitor's region only


def test_a_visitors_compare_region_is_shared(client, matrix, django_assert_num_queries):
    client.get(URL, {"view": "compare"}, headers=HX)
    with django_assert_num_queries(1):  # the page cache's content version
        client.get(URL, {"view": "compare"}, headers=HX)


# Inside a lesson ---------------------------------------------------------------------------


@pytest.fixture
def lesson(matrix):
    from courses.models import Course
    from lessons.models import Lesson

    return Lesson.objects.create(
        course=Course.objects.get(slug="ai-diagnostics"),
        slug="with-matrix",
        title="With the matrix",
        order=1,
        status="published",
        body="Read the matrix.\n\n[[matrix:base-strength]]\n",
    )


def test_the_embedded_compare_follows_the_same_rule(learner_client, lesson):
    url = lesson.get_absolute_url()
    assert compare_headers(text(learner_client.get(url, {"view": "compare"}))) == ["Weak base"]
    assert compare_headers(text(Client().get(url, {"view": "compare"}))) == ["Weak base", "Strong base"]
    learner_client.post(PREDICT, {"column": "strong", **RIGHT, "page": url})
    assert MatrixPrediction.objects.count() == 4
    assert compare_headers(text(learner_client.get(url, {"view": "compare"}))) == [
        "Weak base",
        "Strong base",
    ]
