"""Fixtures for the quiz tests: a published course and quizzes of every kind of question."""

import pytest

from tests import factories


@pytest.fixture
def course(db):
    return factories.make_course(
        slug="clinical-documentation-ai", title="Clinical documentation AI",
        summary="Format compliance.", order=1,
    )  # fmt: skip


@pytest.fixture
def make_quiz(course):
    """``make_quiz(kinds=("single", "multiple"), slug="x", **quiz_fields)``: a thin wrapper of
    ``tests.factories.make_quiz`` with this module's course and title."""

    def make(kinds=("single", "multiple", "true_false"), slug="check-basics", **fields):
        fields.setdefault("title", "Check the basics")
        fields.setdefault("course", course)
        if "is_published" in fields:
            fields["published"] = fields.pop("is_published")
        return factories.make_quiz(slug=slug, kinds=kinds, **fields)

    return make


@pytest.fixture
def quiz(make_quiz):
    return make_quiz()
