"""Fixtures for the review tests: a course with a check, a predict block in words and a quiz."""

import pytest

from tests.factories import make_block, make_course, make_lesson, make_quiz


@pytest.fixture
def course(db):
    return make_course(slug="track", title="Track", lessons=0)


@pytest.fixture
def check(course):
    return make_block(course=course, slug="pick-one")


@pytest.fixture
def in_words(course):
    return make_block(course=course, slug="guess-it", kind="predict", answer_kind="text")


@pytest.fixture
def lesson(course, check, in_words):
    return make_lesson(course=course, slug="practice", order=1,
                       body="Intro.\n\n[[check:pick-one]]\n\n[[predict:guess-it]]")  # fmt: skip


@pytest.fixture
def quiz(course):
    return make_quiz(course=course, slug="q", questions=3)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks registered with transaction.on_commit, as a committed request would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
