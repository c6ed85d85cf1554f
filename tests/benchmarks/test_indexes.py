"""Indexes for the lookups the learner pages, the team dashboard and the CSV make.

Each entry names the columns a page filters or joins on, leading; an index (or a unique
constraint) must start with them. EXPLAIN ANALYZE on PostgreSQL at 1,000 learners showed
every one of these used (benchmarks/README.md); this keeps them from being dropped.
"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

LOOKUPS = [
    # The learner's own rows: completions per lesson, the weekly activity chart, enrolments.
    ("lessons.LessonCompletion", ("user_id", "lesson_id")),
    ("lessons.LessonCompletion", ("user_id", "completed_at")),
    ("courses.Enrollment", ("user_id", "course_id")),
    # Attempts by learner and quiz, and each learner's first submitted attempt.
    ("quizzes.Attempt", ("user_id", "quiz_id", "submitted_at")),
    ("quizzes.Response", ("attempt_id",)),
    # A team's members, and each member's first matrix predictions.
    ("accounts.Membership", ("team_id", "user_id")),
    ("matrix.MatrixPrediction", ("user_id", "cell_id")),
]


@pytest.mark.parametrize(("model", "columns"), LOOKUPS)
def test_an_index_leads_with_the_looked_up_columns(model, columns):
    table = apps.get_model(model)._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = [
        tuple(found["columns"]) for found in constraints.values() if found["index"] or found["unique"]
    ]
    assert any(index[: len(columns)] == columns for index in indexed), (table, indexed)
