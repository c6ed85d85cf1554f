"""Query budgets of /review/: the same for a learner with 10 cards as for one with 2,000.

Counted as tests/benchmarks/test_query_budgets.py counts (``production_count``, callbacks after
the commit included), against benchmarks/budgets.py. Most cards are due, so the due count and
the choice of the next card work over all of them.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.budgets import LEARNER_PAGE_BUDGET
from benchmarks.budgets import queries as budget
from practice.models import Block, BlockChoice
from review.models import Card
from tests.benchmarks.test_query_budgets import count_queries
from tests.factories import make_cards

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture(params=[10, 2000])
def cards(request, learner, course):
    blocks = Block.objects.bulk_create(
        Block(course=course, slug=f"b{n}", title=f"Block {n}", prompt=f"P{n}",
              prompt_html=f"<p>P{n}</p>", explanation="E", explanation_html="<p>E</p>")
        for n in range(request.param)
    )  # fmt: skip
    blocks = list(Block.objects.filter(course=course).order_by("pk"))
    BlockChoice.objects.bulk_create(
        BlockChoice(block=block, order=order, text=text, is_correct=order == 1, feedback=f"F {text}")
        for block in blocks
        for order, text in enumerate(("right", "wrong"), start=1)
    )
    make_cards(user=learner, items=blocks, due=timezone.now() - datetime.timedelta(days=1))
    return request.param


def right_choice(card: Card) -> str:
    return str(card.block.choices.get(is_correct=True).pk)


def test_the_queue_costs_the_same_whatever_the_number_of_cards(learner_client, cards, settings):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    learner_client.get("/review/")  # warms the app's cache: the summary
    response, count = count_queries(learner_client, "get", "/review/")
    assert response.status_code == 200 and 'class="review-card' in response.content.decode()
    assert f"{cards} due" in response.content.decode()
    assert count == budget("review_page") <= LEARNER_PAGE_BUDGET


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_answering_costs_the_same_whatever_the_number_of_cards(learner_client, learner, cards, htmx, settings):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries, the redirect's page included
    learner_client.get("/review/")
    card = Card.objects.filter(user=learner).select_related("block").order_by("due", "pk").first()
    url = reverse("review:answer", kwargs={"card": card.pk})
    response, count = count_queries(learner_client, "post", url, data={"choice": right_choice(card)},
                                    headers=HX if htmx else {})  # fmt: skip
    assert response.status_code == (200 if htmx else 303)
    assert count == budget("review_answer_htmx" if htmx else "review_answer") <= LEARNER_PAGE_BUDGET
    if not htmx:
        page, count = count_queries(learner_client, "get", response["Location"])
        assert "Right" in page.content.decode() and f"{cards - 1} due" in page.content.decode()
        assert count == budget("review_page_after_answer") <= LEARNER_PAGE_BUDGET
