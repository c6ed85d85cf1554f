"""Fixtures for the practice tests: a course whose lesson embeds a check and a predict block."""

import uuid

import pytest
from django.contrib.auth.models import Group

from accounts.roles import INSTRUCTORS
from tests.factories import make_block, make_course, make_lesson


@pytest.fixture
def course(db):
    return make_course(slug="track", title="Track")


@pytest.fixture
def check(course):
    return make_block(course=course, slug="pick-one")


@pytest.fixture
def predict(course):
    return make_block(course=course, slug="guess-it", kind="predict", answer_kind="text")


@pytest.fixture
def lesson(course, check, predict):
    return make_lesson(
        course=course, slug="practice-lesson", title="Practice lesson", order=1,
        body="## Start\n\nIntro.\n\n[[check:pick-one]]\n\nMiddle.\n\n[[predict:guess-it]]\n\nEnd.",
    )  # fmt: skip


@pytest.fixture
def instructor(make_user):
    user = make_user("ines", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    return user


def form(block, *, picks=(), text=None, confidence=None, token=None, next_url=None) -> dict:
    """What the block's form posts: chosen choice texts, words, confidence, token, next."""
    data = {"token": str(token or uuid.uuid4())}
    if picks:
        data["choice"] = [str(block.choices.get(text=text_).pk) for text_ in picks]
    if text is not None:
        data["text"] = text
    if confidence is not None:
        data["confidence"] = confidence
    if next_url is not None:
        data["next"] = next_url
    return data
