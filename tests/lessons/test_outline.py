"""The lesson page's course outline, time left and success panel (``lessons.selectors``)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons import selectors
from lessons.models import LessonCompletion
from quizzes.models import Quiz
from tests.factories import make_course, make_lessons

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def course(learner):
    course = make_course(slug="doc-track", title="Documentation track", order=1)
    lessons = make_lessons(course=course, count=3, estimated_minutes=6)
    make_lessons(course=course, count=1, status="draft")
    LessonCompletion.objects.create(user=learner, lesson=lessons[0])
    Quiz.objects.create(course=course, lesson=lessons[1], slug="mid-quiz", title="Mid quiz",
                        is_published=True)  # fmt: skip
    Quiz.objects.create(course=course, slug="final-quiz", title="Final quiz", is_published=True)
    return course


def page_of(learner, lesson):
    return selectors.lesson_page(
        course_slug=lesson.course.slug, lesson_slug=lesson.slug, user=learner
    )


def test_the_outline_lists_lessons_in_order_with_each_quiz_after_its_lesson(learner, course):
    lessons = list(course.lessons.filter(status="published").order_by("order"))
    page = page_of(learner, lessons[1])
    assert [(item.kind, item.title) for item in page.outline] == [
        ("lesson", lessons[0].title), ("lesson", lessons[1].title), ("quiz", "Mid quiz"),
        ("lesson", lessons[2].title), ("quiz", "Final quiz"),
    ]  # fmt: skip
    assert [item.done for item in page.outline] == [True, False, False, False, False]
    assert [item.current for item in page.outline] == [False, True, False, False, False]


def test_time_left_sums_the_published_lessons_not_done(learner, course):
    lesson = course.lessons.filter(status="published").order_by("order")[1]
    assert page_of(learner, lesson).minutes_left == 12  # two lessons of 6 minutes; drafts aside


def test_the_page_marks_where_the_learner_is_and_what_is_done_in_words(learner_client, course):
    lessons = list(course.lessons.filter(status="published").order_by("order"))
    html = learner_client.get(lessons[1].get_absolute_url()).content.decode()
    current = re.findall(r'aria-current="page">\s*<span class="outline-mark"', html)
    assert len(current) == 2  # the narrow and the wide outline
    assert "You are here" in html
    assert '<span class="outline-state">Done</span>' in html
    assert "Quiz: Mid quiz" in html
    assert "about 12 minutes left in the course" in html
    assert '<details class="course-outline course-outline-narrow">' in html  # closed


def test_mark_complete_and_next_lesson_follow_the_text(learner_client, course):
    lesson = course.lessons.filter(status="published").order_by("order")[1]
    html = learner_client.get(lesson.get_absolute_url()).content.decode()
    body_end = html.index('<div class="lesson-body">')
    completion = html.index('id="completion"')
    sources_or_panels = html.find("Check your understanding")
    assert body_end < completion < sources_or_panels
    section = html[completion : html.index("</section>", completion)]
    assert "Mark complete" in section and "Next lesson" in section


def test_marking_complete_with_htmx_shows_the_success_panel_and_focuses_it(
    learner_client, learner, course
):
    lesson = course.lessons.filter(status="published").order_by("order")[1]
    url = reverse("lessons:complete", kwargs={"course": course.slug, "lesson": lesson.slug})
    html = learner_client.post(url, headers=HTMX).content.decode()
    assert "<html" not in html
    assert "Lesson complete" in html and "Nice work." in html
    assert "data-lesson-focus" in html and 'role="status"' in html
    # The outline beside the lesson is updated out of band, both of its renderings.
    assert 'id="outline-wide-list" hx-swap-oob="innerHTML"' in html
    assert 'id="outline-narrow-facts" hx-swap-oob="innerHTML">· 2 of 3 lessons done' in html
    assert re.search(r'class="button next-step next-step-lesson" href="[^"]+">Next lesson', html)


def test_the_last_lesson_of_a_course_with_its_quizzes_passed_completes_it(learner, course):
    later = make_course(slug="later", title="Later track", order=2, lessons=1)
    for quiz in Quiz.objects.filter(course=course):
        quiz.attempts.create(user=learner, score=1, total=1, percent=100, passed=True,
                             submitted_at=timezone.now())  # fmt: skip
    lessons = list(course.lessons.filter(status="published").order_by("order"))
    for lesson in lessons[1:]:
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    page = page_of(learner, lessons[2])
    progress = page.progress
    assert progress.complete
    assert progress.next_course.slug == later.slug and progress.next_lesson is None
