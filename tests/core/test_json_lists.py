"""core/json_lists.py: a row's short list of related rows, read with the row's own query."""

import pytest
from django.db.models import OuterRef

from core.json_lists import json_list, json_rows
from lessons.models import Lesson, Objective
from tests.factories import make_course, make_lesson, make_objective


def test_json_rows_reads_nothing_as_no_rows_and_sorts():
    assert json_rows(None) == [] and json_rows("") == []
    rows = json_rows('{"order": 2, "id": 1, "t": "b"},{"order": 1, "id": 9, "t": "a"}')
    assert [row["t"] for row in rows] == ["a", "b"]


@pytest.mark.django_db
def test_each_row_gets_its_own_list_in_one_query(django_assert_num_queries):
    course = make_course()
    first, empty = make_lesson(course=course, order=1), make_lesson(course=course, order=2)
    make_objective(lesson=first, key="b", text="Second, with “quotes” and a \\", order=2)
    make_objective(lesson=first, key="a", text="First", order=1)
    objectives = Objective.objects.filter(lesson=OuterRef("pk"))
    listed = json_list(objectives, group_by="lesson", text="text", order="order", id="id")
    with django_assert_num_queries(1):
        lessons = list(
            Lesson.objects.filter(course=course).annotate(listed=listed).order_by("order")
        )
    assert [row["text"] for row in json_rows(lessons[0].listed)] == [
        "First", "Second, with “quotes” and a \\",
    ]  # fmt: skip
    assert lessons[1].pk == empty.pk and json_rows(lessons[1].listed) == []
