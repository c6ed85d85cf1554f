"""practice/services.py and practice/signals.py: storing answers, first tries, completion, placements."""

import uuid

import pytest

from courses.models import Enrollment
from lessons.models import Lesson, LessonCompletion
from practice.grading import AnswerRefused, Submission
from practice.models import BlockAnswer, BlockPlacement
from practice.selectors import blocks_with_choices, course_tallies, latest_answers
from practice.services import answer_block
from tests.factories import make_block, make_lesson

pytestmark = pytest.mark.django_db


def submit(user, block, *picks, text="", confidence="", token=None):
    loaded = blocks_with_choices([block.slug])[block.slug]
    ids = tuple(sorted(c.pk for c in loaded.choice_list if c.text in picks))
    submission = Submission(
        choice_ids=ids, text=text, confidence=confidence, token=token or uuid.uuid4()
    )
    return answer_block(user=user, block=loaded, submission=submission)


def test_the_first_answer_is_first_and_is_graded(learner, lesson, check):
    stored = submit(learner, check, "right", confidence="sure")
    assert stored.created and stored.answer.is_first and stored.answer.is_correct
    again = submit(learner, check, "wrong A")
    assert not again.answer.is_first and again.answer.is_correct is False
    assert BlockAnswer.objects.filter(user=learner, is_first=True).count() == 1


def test_a_block_in_no_lesson_still_gets_one_first_answer(learner, course):
    lonely = make_block(course=course, slug="lonely")
    assert submit(learner, lonely, "right").answer.is_first
    assert not submit(learner, lonely, "right").answer.is_first


def test_the_same_token_and_answer_replays_the_stored_answer(learner, check):
    token = uuid.uuid4()
    first = submit(learner, check, "right", token=token)
    second = submit(learner, check, "right", token=token)
    assert not second.created and second.answer.pk == first.answer.pk
    assert BlockAnswer.objects.count() == 1


def test_the_same_token_with_another_answer_is_refused_and_stores_nothing(learner, check):
    token = uuid.uuid4()
    submit(learner, check, "right", token=token)
    with pytest.raises(AnswerRefused) as refused:
        submit(learner, check, "wrong A", token=token)
    assert refused.value.status == 409
    assert BlockAnswer.objects.count() == 1


def test_tokens_are_per_learner(learner, make_user, check):
    token = uuid.uuid4()
    submit(learner, check, "right", token=token)
    assert submit(make_user("other"), check, "right", token=token).created


def test_completion_goes_through_complete_lesson_when_every_block_is_answered(
    learner, lesson, check, predict
):
    first = submit(learner, check, "wrong A")
    assert first.completed == [] and first.tallies[0].answered == 1 and first.tallies[0].total == 2
    done = submit(learner, predict, text="My guess.")
    assert done.completed == [lesson.pk]
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    assert Enrollment.objects.filter(user=learner, course=lesson.course).exists()
    assert submit(learner, predict, text="Again.").completed == []  # already complete


def test_draft_lessons_are_not_completed(learner, course, check):
    draft = make_lesson(
        course=course, slug="draft", body="[[check:pick-one]]", status=Lesson.Status.DRAFT
    )
    submit(learner, check, "right")
    assert not LessonCompletion.objects.filter(lesson=draft).exists()


def test_lessons_of_another_course_are_not_completed(learner, check):
    from tests.factories import make_course

    elsewhere = make_lesson(course=make_course(), body="[[check:pick-one]]")
    submit(learner, check, "right")
    assert not LessonCompletion.objects.filter(lesson=elsewhere).exists()


def test_latest_answers_reads_the_latest_try_with_its_choices(learner, check):
    submit(learner, check, "wrong A")
    last = submit(learner, check, "right")
    found = latest_answers(user=learner, block_ids=[check.pk])
    assert found[check.pk].pk == last.answer.pk
    assert found[check.pk].chosen_ids == {check.choices.get(text="right").pk}


def test_course_tallies_count_blocks_answered_per_lesson(learner, lesson, check, course):
    submit(learner, check, "right")
    submit(learner, check, "right")
    (row,) = course_tallies(user=learner, course=course)
    assert (row.slug, row.answered, row.total) == (lesson.slug, 1, 2)


def test_placements_follow_the_lesson_body(lesson, check, predict):
    assert set(BlockPlacement.objects.values_list("block__slug", flat=True)) == {
        "pick-one",
        "guess-it",
    }
    lesson.body = "Only [[check]] mentioned inline.\n\n[[check:pick-one]]"
    lesson.save()
    assert list(BlockPlacement.objects.values_list("block__slug", flat=True)) == ["pick-one"]
    lesson.body = "Nothing."
    lesson.save()
    assert not BlockPlacement.objects.exists()


def test_a_block_created_after_the_lesson_that_names_it_is_placed(course):
    lesson = make_lesson(course=course, body="[[predict:later]]")
    make_block(course=course, slug="later", kind="predict", answer_kind="text")
    assert BlockPlacement.objects.get().lesson == lesson


def test_progress_shows_checks_answered_per_course(client, learner, lesson, check, predict):
    client.force_login(learner)
    client.get(lesson.get_absolute_url())  # enrols: the course is on /progress/
    assert "0 of 2 checks and predictions answered" in client.get("/progress/").content.decode()
    submit(learner, check, "wrong A")
    submit(learner, check, "right")  # a second try of the same block counts once
    assert "1 of 2 checks and predictions answered" in client.get("/progress/").content.decode()
