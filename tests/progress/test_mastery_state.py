"""The team's mastery kept between requests (progress/selectors/mastery_state.py): after any
activity it equals the mastery worked out afresh, and it reads again only the members who
answered since, unless content was saved since."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Membership
from lessons.models import Lesson, Objective
from practice.models import Block
from progress.selectors import mastery_state
from progress.selectors.mastery import team_mastery
from quizzes.models import Quiz
from review.models import ReviewLog
from tests.factories import (
    answer_block,
    make_block,
    make_card,
    make_course,
    make_lesson,
    make_objective,
    make_person,
    make_team,
)

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=30)


@pytest.fixture
def world():
    course = make_course(slug="docs-ai")
    lesson = make_lesson(course=course, slug="format", order=1, status="published")
    objectives = [make_objective(lesson=lesson, key=f"objective-{n}", order=n) for n in range(2)]
    blocks = []
    for objective in objectives:
        block = make_block(course=course)
        block.objectives.set([objective])
        blocks.append(block)
    members = [make_person(username=f"member-{n}") for n in range(4)]
    team = make_team(slug="ward", courses=[course], members=members)
    for n, member in enumerate(members):
        answer_block(user=member, block=blocks[0], right=n % 2 == 0, days_ago=10)
    # Content and answers saved long ago: nothing new since.
    for model in (Lesson, Objective, Block, Quiz):
        model.objects.update(updated_at=LONG_AGO)
    cache.clear()
    return {"course": course, "team": team, "members": members, "blocks": blocks, "lesson": lesson}


def kept(world):
    user_ids = [m.pk for m in world["members"]]
    return mastery_state.current_team_mastery(
        team=world["team"], user_ids=user_ids, course_ids=[world["course"].pk]
    )


def afresh(world):
    return team_mastery(user_ids=[m.pk for m in world["members"]], course_ids=[world["course"].pk])


@pytest.fixture
def reads(monkeypatch):
    """The user ids each reading of answers asked for."""
    asked = []
    real = mastery_state.mastery_reads

    def spy(*, user_ids, course_ids):
        asked.append(sorted(user_ids))
        return real(user_ids=user_ids, course_ids=course_ids)

    monkeypatch.setattr(mastery_state, "mastery_reads", spy)
    return asked


def test_the_kept_mastery_equals_the_mastery_worked_out_afresh_after_each_kind_of_activity(world):
    ann, bob, cat, dan = world["members"]
    assert kept(world) == afresh(world)
    answer_block(user=bob, block=world["blocks"][1], right=True, confidence="sure")
    assert kept(world) == afresh(world)
    make_card(user=cat, item=world["blocks"][0], right=False)
    ReviewLog.objects.filter(card__user=cat).update(source="review")  # answered in /review/
    assert kept(world) == afresh(world)
    assert kept(world).levels[(bob.pk, world["blocks"][1].objectives.get().pk)].answers == 1


def test_only_the_members_who_answered_since_are_read_again(world, reads):
    ann, bob, *_ = world["members"]
    kept(world)
    assert reads == [sorted(m.pk for m in world["members"])]
    kept(world)
    assert reads[-1] == []  # nobody answered: no member's answers read
    answer_block(user=bob, block=world["blocks"][1], right=True)
    kept(world)
    assert reads[-1] == [bob.pk]


def test_an_answer_stamped_before_the_last_reading_but_recorded_after_it_is_read(world, reads):
    """A transaction stamps its answer, then commits after a reading: within OVERLAP."""
    bob = world["members"][1]
    kept(world)
    late = answer_block(user=bob, block=world["blocks"][1], right=True)
    type(late).objects.filter(pk=late.pk).update(
        answered_at=timezone.now() - mastery_state.OVERLAP / 2
    )
    assert kept(world) == afresh(world)
    assert reads[-1] == [bob.pk]


def test_content_saved_since_reads_everyone_again(world, reads):
    kept(world)
    block = world["blocks"][0]
    block.objectives.add(world["blocks"][1].objectives.get())  # a tag added in the admin
    block.save()
    assert kept(world) == afresh(world)
    assert reads[-1] == sorted(m.pk for m in world["members"])


def test_an_objective_published_since_is_assessed_for_everyone(world):
    kept(world)
    lesson = make_lesson(course=world["course"], slug="codes", order=2, status="published")
    make_objective(lesson=lesson, key="read-codes")
    assert kept(world) == afresh(world)
    assert len(kept(world).objectives) == 3


def test_members_who_join_are_read_and_members_who_leave_are_not_shown(world):
    ann, bob, cat, dan = world["members"]
    kept(world)
    eve = make_person(username="member-eve")
    Membership.objects.create(team=world["team"], user=eve)
    Membership.objects.filter(user=dan).delete()
    world["members"] = [ann, bob, cat, eve]
    assert kept(world) == afresh(world)
    assert {uid for uid, _ in kept(world).levels} == {ann.pk, bob.pk, cat.pk, eve.pk}
