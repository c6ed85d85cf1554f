"""Fixtures for the quiz tests: a published course and quizzes of every kind of question."""

import pytest

from courses.models import Course
from quizzes.models import Quiz

from .factories import add_question


@pytest.fixture
def course(db):
    return Course.objects.create(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance.", order=1, is_published=True,
    )  # fmt: skip


@pytest.fixture
def make_quiz(course):
    """``make_quiz(kinds=("single", "multiple"), slug="x", **quiz_fields)``."""

    def make(kinds=("single", "multiple", "true_false"), slug="check-basics", **fields):
        fields.setdefault("title", "Check the basics")
        fields.setdefault("is_published", True)
        fields.setdefault("course", course)
        quiz = Quiz.objects.create(slug=slug, **fields)
        for number, kind in enumerate(kinds, start=1):
            add_question(quiz, kind, number)
        return quiz

    return make


@pytest.fixture
def quiz(make_quiz):
    return make_quiz()
