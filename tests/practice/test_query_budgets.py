"""Query budgets of blocks: a lesson with 1 or 6 blocks costs at most one query more than the
same lesson without them (the learner's answers; none for a visitor: the blocks themselves
are kept per content version, core/shared.py), and answering is a fixed, small number.

Counted as tests/benchmarks/test_query_budgets.py counts (``production_count``: no BEGIN or
COMMIT), against the numbers in benchmarks/budgets.py, which the README's table shows.
"""

import pytest
from django.urls import reverse

from benchmarks.budgets import LEARNER_PAGE_BUDGET
from benchmarks.budgets import queries as budget
from tests.benchmarks.test_query_budgets import count_queries
from tests.factories import make_block, make_course, make_lesson

from .conftest import form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def lessons(db):
    """A plain lesson, one with a check, one with 3 checks and 3 predict blocks."""
    course = make_course(slug="budget-track")
    plain = make_lesson(course=course, slug="plain", order=1, body="## Plain\n\nText.")
    one = make_block(course=course, slug="only-check")
    with_one = make_lesson(course=course, slug="one", order=2, body="Text.\n\n[[check:only-check]]")
    lines = []
    for n in range(3):
        make_block(course=course, slug=f"c{n}", answer_kind="multiple" if n else "single")
        make_block(
            course=course, slug=f"p{n}", kind="predict", answer_kind="text" if n else "single"
        )
        lines += [f"[[check:c{n}]]", f"[[predict:p{n}]]"]
    with_six = make_lesson(
        course=course, slug="six", order=3, body="Text.\n\n" + "\n\n".join(lines)
    )
    return {"plain": plain, "one": with_one, "six": with_six, "block": one}


def visit(client, lesson) -> int:
    client.get(lesson.get_absolute_url())  # first request: templates, content types
    response, count = count_queries(client, "get", lesson.get_absolute_url())
    assert response.status_code == 200
    return count


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "learner"])
def test_blocks_cost_at_most_one_query_more_whatever_their_number(
    client, learner, lessons, signed_in, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    if signed_in:
        client.force_login(learner)
        from practice.models import Block

        # Some answers already given, so the answers query has rows to read.
        for slug in ("only-check", "c0", "p1"):
            block = Block.objects.get(slug=slug)
            picks = [] if block.answer_kind == "text" else [block.choices.first().text]
            client.post(reverse("practice:answer", kwargs={"slug": slug}),
                        form(block, picks=picks, text="Words." if not picks else None))  # fmt: skip
    plain, one, six = (visit(client, lessons[name]) for name in ("plain", "one", "six"))
    names = (
        ("lesson", "lesson_with_one_block", "lesson_with_six_blocks")
        if signed_in
        else (
            "lesson_anonymous",
            "lesson_with_one_block_anonymous",
            "lesson_with_six_blocks_anonymous",
        )
    )
    assert (plain, one, six) == tuple(budget(name) for name in names)
    assert one == six <= plain + (1 if signed_in else 0)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_answering_a_check_is_a_fixed_number_of_queries(client, learner, lessons, headers):
    client.force_login(learner)
    block = make_block(course=lessons["plain"].course, slug="extra")
    make_lesson(course=block.course, slug="two-checks", body="[[check:extra]]\n\n[[check:c0]]")
    url = reverse("practice:answer", kwargs={"slug": "extra"})
    client.post(url, form(block, picks=["wrong A"]), headers=headers)  # warm up; not completing
    response, count = count_queries(
        client, "post", url, data=form(block, picks=["right"]), headers=headers
    )
    assert response.status_code in (200, 303)
    # The card's review schedule (review.services.record_answers) after the commit: 3 of them.
    assert count == budget("answer_check") <= LEARNER_PAGE_BUDGET


def test_answering_in_words_and_anonymously(client, learner, lessons):
    from practice.models import Block

    block = Block.objects.get(slug="p1")
    url = reverse("practice:answer", kwargs={"slug": "p1"})
    client.post(url, form(block, text="Warm."))
    _, count = count_queries(client, "post", url, data=form(block, text="A guess."))
    assert count == budget("answer_check_anonymous")
    client.force_login(learner)
    client.post(url, form(block, text="First."))
    _, count = count_queries(client, "post", url, data=form(block, text="Again."))
    assert count == budget("answer_prediction_in_words")


def test_answering_the_last_check_of_a_lesson_completes_it_in_a_fixed_number(
    client, learner, lessons
):
    client.force_login(learner)
    block = lessons["block"]
    url = reverse("practice:answer", kwargs={"slug": block.slug})
    client.get(lessons["one"].get_absolute_url())
    response, count = count_queries(client, "post", url, data=form(block, picks=["right"]))
    assert response.status_code == 303
    assert count == budget("answer_check_completing_lesson")
    assert learner.lesson_completions.filter(lesson=lessons["one"]).exists()
