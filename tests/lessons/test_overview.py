"""The course overview: lessons in order with done marks, Start or Resume, and what is left."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from courses.models import Enrollment
from lessons import catalog as selectors
from lessons.models import Lesson, LessonCompletion
from review.selectors import summary as review_summary
from tests.factories import make_course, make_lesson, make_lessons

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10


def test_lessons_are_listed_in_order_with_minutes(client):
    course = make_course()
    second = make_lesson(course=course, title="Second lesson", order=2, estimated_minutes=7)
    first = make_lesson(course=course, title="First lesson", order=1, estimated_minutes=4)
    body = client.get(course.get_absolute_url()).content.decode()
    assert body.index(first.get_absolute_url()) < body.index(second.get_absolute_url())
    assert "7 min" in body and "4 min" in body
    assert "2 lessons, about 11 minutes" in body


def test_description_is_shown_rendered_and_sanitised(client):
    course = make_course(description="Read *this* first.\n\n<script>alert(1)</script>")
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Read <em>this</em> first." in body
    assert "<script>alert(1)" not in body


def test_unpublished_course_is_404_for_learners_and_shown_to_staff_with_a_banner(
    client, learner_client, admin_client
):
    course = make_course(published=False)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert learner_client.get(course.get_absolute_url()).status_code == 404
    response = admin_client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: not visible to learners." in response.content.decode()


def test_unknown_course_is_404(client):
    assert client.get("/courses/no-such-course/").status_code == 404


def test_drafts_are_hidden_from_learners_and_badged_for_staff(learner_client, admin_client):
    course = make_course()
    make_lesson(course=course, title="Visible")
    make_lesson(course=course, title="Work in progress", status=Lesson.Status.DRAFT)
    assert "Work in progress" not in learner_client.get(course.get_absolute_url()).content.decode()
    staff_body = admin_client.get(course.get_absolute_url()).content.decode()
    assert "Work in progress" in staff_body
    assertInHTML('<span class="badge badge-warn">Draft</span>', staff_body)
    assert "0 of 1 lesson done" in staff_body  # drafts never count towards progress


def test_done_marks_and_what_is_left(learner_client, learner):
    course = make_course()
    done, left_one, left_two = make_lessons(course=course, count=3, estimated_minutes=5)
    LessonCompletion.objects.create(user=learner, lesson=done)
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert "1 of 3 lessons done" in body
    assert body.count('<span class="badge badge-ok">Done</span>') == 1
    assert body.count('<span class="badge badge-neutral">Not done</span>') == 2
    assert "Left to finish: 2 lessons, about 10 minutes." in body


def test_start_points_at_the_first_lesson_before_any_visit(learner_client):
    course = make_course()
    first, _ = make_lessons(course=course, count=2)
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert f'<a class="button" href="{first.get_absolute_url()}">Start' in body
    assert "Resume where you left off" not in body


def test_resume_points_at_the_last_lesson_viewed(learner_client, learner):
    course = make_course()
    _, second, _ = make_lessons(course=course, count=3)
    Enrollment.objects.create(user=learner, course=course, last_lesson=second)
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert (
        f'<a class="button" href="{second.get_absolute_url()}">Resume where you left off</a>'
        in body
    )


def test_finishing_every_lesson_says_so(learner_client, learner):
    course = make_course()
    for lesson in make_lessons(course=course, count=2):
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert "2 of 2 lessons done" in body
    assert "Left to finish" not in body


def test_a_course_without_lessons_says_so(client):
    course = make_course()
    assert "No lessons are published" in client.get(course.get_absolute_url()).content.decode()


def build(learner, *, lessons, completions):
    course = make_course()
    made = make_lessons(course=course, count=lessons)
    for lesson in made[:completions]:
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    Enrollment.objects.create(user=learner, course=course, last_lesson=made[-1])
    return course


SCENARIOS = [(3, 0), (30, 0), (30, 30), (3, 3)]  # (lessons, completions)


def test_overview_queries_stay_under_ten_and_do_not_grow(learner_client, learner):
    counts = {}
    # The header's review summary, cached per learner for minutes: warm, as after any page.
    review_summary(user=learner, now=timezone.now())
    for lessons, completions in SCENARIOS:
        course = build(learner, lessons=lessons, completions=completions)
        with CaptureQueriesContext(connection) as queries:
            assert learner_client.get(course.get_absolute_url()).status_code == 200
        counts[(lessons, completions)] = len(queries)
    # Complete or not: the next track to suggest is read with the course (next_track_fields).
    assert len(set(counts.values())) == 1, counts
    assert max(counts.values()) <= MAX_QUERIES, counts


def test_anonymous_overview_queries_do_not_grow(client):
    counts = []
    for lessons in (3, 30):
        course = make_course()
        make_lessons(course=course, count=lessons)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(course.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES


@pytest.mark.parametrize(("lessons", "completions"), SCENARIOS)
def test_the_overview_selector_is_seven_queries(
    learner, django_assert_num_queries, lessons, completions
):
    course = build(learner, lessons=lessons, completions=completions)
    # course, lessons with done marks, the quizzes with their status (asked of the registered
    # assessments; a template tag ran it before), the exercises answered per lesson (the
    # practice app's panel, also an assessment), the learner's mastery of the course's
    # objectives (progress's panel, also an assessment), the learner's certificate of the
    # course (certificates' panel, also an assessment), the enrollment.
    with django_assert_num_queries(7):
        overview = selectors.course_overview(course_slug=course.slug, user=learner)
        assert overview.done == completions and overview.resume_lesson is not None


def test_a_complete_course_offers_review_and_the_next_track_not_resume(learner_client, learner):
    course = make_course(order=1)
    later = make_course(order=2, lessons=1)
    lessons = make_lessons(course=course, count=2)
    for lesson in lessons:
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    Enrollment.objects.create(user=learner, course=course, last_lesson=lessons[1])
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Resume where you left off" not in body
    assert f'<a class="button" href="{later.get_absolute_url()}">Start the next track' in body
    assert "Review the course" in body


def test_a_course_with_its_quiz_left_offers_the_quiz_not_resume(learner_client, learner):
    from quizzes.models import Quiz

    course = make_course()
    lessons = make_lessons(course=course, count=1)
    LessonCompletion.objects.create(user=learner, lesson=lessons[0])
    Enrollment.objects.create(user=learner, course=course, last_lesson=lessons[0])
    Quiz.objects.create(course=course, slug="q", title="Q", is_published=True)
    body = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Resume where you left off" not in body
    assert f'href="#quizzes-{course.slug}">Take the quiz' in body
