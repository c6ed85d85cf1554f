"""progress.selectors.mastery: the evidence each page's levels come from, in one query."""

import pytest

from courses.mastery import Level
from progress.selectors.mastery import learner_mastery, mastery_reads, team_mastery
from tests.factories import (
    answer_block,
    at,
    make_block,
    make_course,
    make_lesson,
    make_objective,
    make_person,
    make_quiz,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    course = make_course(slug="alpha")
    first = make_lesson(course=course, slug="one", order=1, status="published")
    second = make_lesson(course=course, slug="two", order=2, status="published")
    draft = make_lesson(course=course, slug="draft", order=3, status="draft")
    objectives = {
        "b": make_objective(lesson=second, key="b", order=1),
        "a": make_objective(lesson=first, key="a", order=2),
        "a0": make_objective(lesson=first, key="a0", order=1),
        "hidden": make_objective(lesson=draft, key="hidden"),
    }
    block = make_block(course=course)
    block.objectives.set([objectives["a"], objectives["b"], objectives["hidden"]])
    quiz = make_quiz(course=course, questions=2)
    q1, q2 = quiz.questions.order_by("order")
    q1.objectives.set([objectives["a"]])
    q2.objectives.set([objectives["a"], objectives["b"]])
    return {"course": course, "objectives": objectives, "block": block, "quiz": quiz}


def test_objectives_of_published_lessons_come_in_course_order(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        reads = mastery_reads(user_ids=[], course_ids=[world["course"].pk])
    assert [o.key for o in reads.objectives] == ["a0", "a", "b"]
    assert reads.objectives[0].lesson_url == "/courses/alpha/one/"


def test_first_block_answers_and_first_attempts_are_the_evidence(world):
    ann = make_person(username="ann")
    answer_block(user=ann, block=world["block"], right=True, confidence="sure", days_ago=5)
    answer_block(user=ann, block=world["block"], right=False, first=False)  # a retry: ignored
    submit_attempt(user=ann, quiz=world["quiz"], picks=["right", "wrong A"], confidences=["", "sure"], days_ago=4)
    submit_attempt(user=ann, quiz=world["quiz"], picks=["wrong A", "wrong A"], days_ago=1)  # not first
    reads = mastery_reads(user_ids=[ann.pk], course_ids=[world["course"].pk])
    a, b = world["objectives"]["a"], world["objectives"]["b"]
    on_a = sorted((e.source, e.is_correct, e.confidence) for e in reads.evidence[(ann.pk, a.pk)])
    assert on_a == [("block", True, "sure"), ("quiz", False, "sure"), ("quiz", True, "")]
    assert {e.item for e in reads.evidence[(ann.pk, b.pk)]} == {f"block:{world['block'].pk}", f"question:{world['quiz'].questions.order_by('order')[1].pk}"}
    levels = {item.objective.key: item.level for item in learner_mastery(user=ann, course_ids=[world["course"].pk])[world["course"].pk].objectives}
    # a: right (block, sure), right (q1), wrong and sure (q2): proficient less one step.
    assert levels == {"a0": Level.NOT_STARTED, "a": Level.FAMILIAR, "b": Level.ATTEMPTED}


def test_answers_in_words_and_other_learners_are_not_evidence(world):
    ann, bob = make_person(username="ann"), make_person(username="bob")
    words = make_block(course=world["course"], kind="predict", answer_kind="text")
    words.objectives.set([world["objectives"]["a0"]])
    answer = answer_block(user=ann, block=words, right=True)
    type(answer).objects.filter(pk=answer.pk).update(is_correct=None)
    answer_block(user=bob, block=world["block"], right=True)
    reads = mastery_reads(user_ids=[ann.pk], course_ids=[world["course"].pk])
    assert reads.evidence == {}


def test_team_mastery_counts_members_per_level_and_names_those_below_proficient(world):
    ann, bob, cy = (make_person(username=n) for n in ("ann", "bob", "cy"))
    for user in (ann, bob):
        answer_block(user=user, block=world["block"], right=True, days_ago=10)
        submit_attempt(user=user, quiz=world["quiz"], picks=["right", "right"], days_ago=1)
    team = team_mastery(user_ids=[ann.pk, bob.pk, cy.pk], course_ids=[world["course"].pk])
    by_key = {item.objective.key: item for item in team.objectives}
    assert by_key["a"].counts[Level.MASTERED] == 2 and by_key["a"].below_proficient == (cy.pk,)
    assert by_key["a0"].below_proficient == (ann.pk, bob.pk, cy.pk)
    assert [item.objective.key for item in team.not_mastered()][0] == "a0"
    assert team.levels[(cy.pk, world["objectives"]["a"].pk)].level is Level.NOT_STARTED


def test_answers_given_in_review_are_evidence_too(world, django_assert_num_queries):
    from review.models import ReviewLog
    from tests.factories import make_card

    ann = make_person(username="ann")
    answer_block(user=ann, block=world["block"], right=False, days_ago=6)
    card = make_card(user=ann, item=world["block"], right=False)
    for days_ago, right in ((3, True), (1, True)):
        ReviewLog.objects.create(
            card=card, rating=3, is_correct=right, confidence="sure", source="review",
            reviewed_at=at(days_ago=days_ago),
        )  # fmt: skip
    ReviewLog.objects.create(  # the lesson's own answer, logged on the card: not a review
        card=card, rating=1, is_correct=False, confidence="", source="check", reviewed_at=at(days_ago=6),
    )  # fmt: skip
    a = world["objectives"]["a"]
    with django_assert_num_queries(1):
        reads = mastery_reads(user_ids=[ann.pk], course_ids=[world["course"].pk])
    sources = sorted((e.source, e.is_correct) for e in reads.evidence[(ann.pk, a.pk)])
    assert sources == [("block", False), ("review", True), ("review", True)]
