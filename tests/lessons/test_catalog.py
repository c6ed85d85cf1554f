"""The catalog: published tracks in order, their size, and the learner's progress in each."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrollment
from lessons import catalog as selectors
from lessons.models import Lesson, LessonCompletion
from review.selectors import summary as review_summary
from tests.factories import make_course, make_lesson, make_lessons

pytestmark = pytest.mark.django_db
CATALOG = reverse("courses:catalog")
MAX_QUERIES = 10


class _Progress(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bars = []

    def handle_starttag(self, tag, attrs):
        if tag == "progress":
            self.bars.append(dict(attrs))


def progress_bars(html):
    parser = _Progress()
    parser.feed(html)
    return parser.bars


def test_catalog_lists_published_courses_in_order(client):
    make_course(title="Third", order=3)
    make_course(title="First", order=1)
    make_course(title="Hidden", order=2, published=False)
    body = client.get(CATALOG).content.decode()
    assert "Hidden" not in body
    assert body.index("First") < body.index("Third")


def test_catalog_counts_only_published_lessons_and_sums_their_minutes(client):
    course = make_course(title="Documentation")
    make_lesson(course=course, estimated_minutes=6)
    make_lesson(course=course, estimated_minutes=9)
    make_lesson(course=course, estimated_minutes=50, status=Lesson.Status.DRAFT)
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert "2 lessons · about 15 minutes" in response.content.decode()


def test_anonymous_visitors_get_a_start_link_and_no_progress(client):
    course = make_course()
    first, _ = make_lessons(course=course, count=2)
    body = client.get(CATALOG).content.decode()
    assert first.get_absolute_url() in body
    assert "Start reading" in body
    assert progress_bars(body) == []
    assert "Continue" not in body


def test_learner_sees_x_of_y_with_a_progress_bar_and_continue(learner_client, learner):
    course = make_course(title="Diagnostics")
    lessons = make_lessons(course=course, count=4)
    make_lesson(course=course, status=Lesson.Status.DRAFT)
    LessonCompletion.objects.create(user=learner, lesson=lessons[0])
    Enrollment.objects.create(user=learner, course=course, last_lesson=lessons[1])
    body = learner_client.get(CATALOG).content.decode()
    assert "1 of 4 lessons done" in body
    assert progress_bars(body) == [
        {"id": f"progress-{course.slug}", "class": "progress-bar", "max": "4", "value": "1"}
    ]
    assert f'href="{lessons[1].get_absolute_url()}">Continue' in body


def test_learner_who_has_not_started_gets_start_at_the_first_lesson(learner_client):
    course = make_course()
    first = make_lesson(course=course, order=2)
    make_lesson(course=course, order=1, status=Lesson.Status.DRAFT)
    body = learner_client.get(CATALOG).content.decode()
    assert f'href="{first.get_absolute_url()}">Start' in body
    assert "0 of 1 lesson done" in body


def test_completions_of_draft_lessons_do_not_count(learner_client, learner):
    course = make_course()
    make_lesson(course=course)
    draft = make_lesson(course=course, status=Lesson.Status.DRAFT)
    LessonCompletion.objects.create(user=learner, lesson=draft)
    assert "0 of 1 lesson done" in learner_client.get(CATALOG).content.decode()


def test_resume_at_a_lesson_now_in_draft_falls_back_to_start(learner_client, learner):
    course = make_course()
    first = make_lesson(course=course, order=1)
    gone = make_lesson(course=course, order=2, status=Lesson.Status.DRAFT)
    Enrollment.objects.create(user=learner, course=course, last_lesson=gone)
    body = learner_client.get(CATALOG).content.decode()
    assert gone.get_absolute_url() not in body
    assert f'href="{first.get_absolute_url()}">Start' in body


def test_a_finished_course_says_so(learner_client, learner):
    course = make_course()
    for lesson in make_lessons(course=course, count=2):
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    body = learner_client.get(CATALOG).content.decode()
    assert "2 of 2 lessons done" in body
    assert "Course complete" in body


def test_other_learners_progress_is_not_shown(learner_client, make_user):
    course = make_course()
    lesson = make_lesson(course=course)
    LessonCompletion.objects.create(user=make_user("someone"), lesson=lesson)
    assert "0 of 1 lesson done" in learner_client.get(CATALOG).content.decode()


def build(learner, *, lessons, completions, courses=3):
    for _ in range(courses):
        course = make_course()
        made = make_lessons(course=course, count=lessons)
        for lesson in made[:completions]:
            LessonCompletion.objects.create(user=learner, lesson=lesson)
        Enrollment.objects.create(user=learner, course=course, last_lesson=made[-1])


SCENARIOS = [(3, 0), (30, 0), (30, 30), (3, 3)]  # (lessons, completions)


def test_catalog_queries_stay_under_ten_and_do_not_grow(learner_client, learner):
    counts = {}
    # The header's review summary, cached per learner for minutes: warm, as after any page.
    review_summary(user=learner, now=timezone.now())
    for lessons, completions in SCENARIOS:
        Course.objects.all().delete()
        build(learner, lessons=lessons, completions=completions)
        with CaptureQueriesContext(connection) as queries:
            assert learner_client.get(CATALOG).status_code == 200
        counts[(lessons, completions)] = len(queries)
    assert len(set(counts.values())) == 1, counts
    assert max(counts.values()) <= MAX_QUERIES, counts


def test_anonymous_catalog_queries_do_not_grow(client):
    counts = []
    for lessons in (3, 30):
        Course.objects.all().delete()
        for _ in range(3):
            make_lessons(course=make_course(), count=lessons)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CATALOG).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES


@pytest.mark.parametrize(("lessons", "completions"), SCENARIOS)
def test_the_catalog_selector_is_three_queries(
    learner, django_assert_num_queries, lessons, completions
):
    build(learner, lessons=lessons, completions=completions)
    with django_assert_num_queries(3):  # courses with counts, completions per course, enrollments
        entries = selectors.catalog(user=learner)
        assert [entry.done for entry in entries] == [completions] * 3
        assert all(entry.resume_lesson for entry in entries)
