"""Objectives in the admin: inline on the lesson page, tags on blocks and questions checked
against the course, the untagged filters and the coverage list of what nothing tests."""

import pytest
from django.urls import reverse

from lessons.models import Objective
from tests.factories import make_block, make_course, make_lesson, make_objective, make_quiz

pytestmark = pytest.mark.django_db


def lesson_form(lesson, objectives):
    data = {
        "course": lesson.course_id, "title": lesson.title, "slug": lesson.slug, "order": lesson.order,
        "status": lesson.status, "estimated_minutes": lesson.estimated_minutes, "body": lesson.body,
        "sources": "", "reviewed_on": "", "owner": "", "_save": "Save",
        "objectives-TOTAL_FORMS": len(objectives), "objectives-INITIAL_FORMS": 0,
        "objectives-MIN_NUM_FORMS": 0, "objectives-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for n, (key, text) in enumerate(objectives):
        data |= {f"objectives-{n}-order": n + 1, f"objectives-{n}-key": key, f"objectives-{n}-text": text}
    return data


def test_an_instructor_adds_objectives_on_the_lesson_page(instructor_client):
    lesson = make_lesson(course=make_course(slug="c"), slug="l", status="published")
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    response = instructor_client.post(url, lesson_form(lesson, [("tell-format", "Tell format"), ("read", "Read")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(o.key, o.course_id) for o in lesson.objectives.all()] == [("tell-format", lesson.course_id), ("read", lesson.course_id)]


def test_a_key_twice_on_one_page_is_refused(instructor_client):
    lesson = make_lesson(course=make_course(slug="c"), slug="l")
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    response = instructor_client.post(url, lesson_form(lesson, [("same", "A"), ("same", "B")]))
    assert response.status_code == 200
    assert "same is listed twice" in response.content.decode()
    assert not Objective.objects.exists()


def test_a_key_another_lesson_of_the_course_uses_is_refused(instructor_client):
    course = make_course(slug="c")
    make_objective(lesson=make_lesson(course=course, slug="first"), key="taken")
    lesson = make_lesson(course=course, slug="second")
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    response = instructor_client.post(url, lesson_form(lesson, [("taken", "Again")]))
    assert "This course already has an objective “taken”." in response.content.decode()
    assert Objective.objects.count() == 1


def test_a_block_cannot_be_tagged_with_another_course_s_objective(instructor_client):
    mine, other = make_course(slug="mine"), make_course(slug="other")
    foreign = make_objective(lesson=make_lesson(course=other), key="foreign")
    block = make_block(course=mine, slug="b")
    url = reverse("admin:practice_block_change", args=[block.pk])
    data = {
        "course": mine.pk, "slug": "b", "kind": "check", "answer_kind": "single", "title": "T",
        "scenario": "", "prompt": "P", "explanation": "E", "objectives": [foreign.pk], "_save": "Save",
        "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0, "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = instructor_client.post(url, data)
    assert "Choose objectives of this block&#x27;s course, not foreign." in response.content.decode()
    assert not block.objectives.exists()


def test_the_untagged_filters_and_the_coverage_list(instructor_client):
    course = make_course(slug="c")
    lesson = make_lesson(course=course)
    tested = make_objective(lesson=lesson, key="tested")
    make_objective(lesson=lesson, key="untested-one")
    tagged = make_block(course=course, slug="tagged-block")
    make_block(course=course, slug="untagged-block")
    tagged.objectives.add(tested)
    quiz = make_quiz(course=course, questions=2)
    quiz.questions.first().objectives.add(tested)
    blocks = instructor_client.get(reverse("admin:practice_block_changelist") + "?tagged=no").content.decode()
    assert "untagged-block" in blocks and "tagged-block</" not in blocks.replace("untagged-block</", "")
    questions = instructor_client.get(reverse("admin:quizzes_question_changelist") + "?tagged=no").content.decode()
    assert "Question 2 of" in questions and "Question 1 of" not in questions
    coverage = instructor_client.get(reverse("admin:progress_objectivecoverage_changelist") + "?tested=no")
    assert coverage.status_code == 200
    assert "untested-one" in coverage.content.decode() and ">tested<" not in coverage.content.decode()
