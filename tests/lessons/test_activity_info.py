"""The course overview's "About this activity": shown before the Start button until the learner
starts (to visitors and signed-in learners alike), then kept closed in a <details> below their
progress; its values; and an admin edit showing on the next request through both page caches."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.budgets import queries as budget
from courses.models import Enrollment
from lessons import catalog
from lessons.models import Lesson, LessonCompletion
from tests.factories import make_course, make_lesson, make_objective, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = make_course(
        slug="notes", title="Clinical notes", released_on=date(2026, 3, 2),
        last_reviewed_on=date(2026, 9, 15),
        disclosure="**None.** No commercial support. <script>alert(1)</script>",
    )  # fmt: skip
    second = make_lesson(course=course, slug="second", order=2, estimated_minutes=7)
    first = make_lesson(course=course, slug="first", order=1, estimated_minutes=6)
    draft = make_lesson(course=course, slug="draft", order=3, status=Lesson.Status.DRAFT)
    make_objective(lesson=second, key="b-one", text="Check a note against its schema", order=1)
    make_objective(lesson=first, key="a-two", text="Name the four situations", order=2)
    make_objective(lesson=first, key="a-one", text="Tell format from knowledge", order=1)
    make_objective(lesson=draft, key="draft", text="Drafted objective", order=1)
    make_quiz(course=course, title="Notes check", questions=12, draw_count=10, pass_percent=75)
    make_quiz(course=course, title="Unpublished", pass_percent=95, published=False)
    return course


def page(client, course) -> str:
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(body: str) -> str:
    found = re.search(r'<section class="activity-info.*?</section>', body, re.S)
    assert found, "no activity section"
    return found.group(0)


def facts(body: str) -> dict[str, str]:
    """Each <dt>'s text and its <dd>'s text, spaces collapsed, tags dropped."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section(body), re.S)
    plain = lambda html: " ".join(re.sub(r"<[^>]+>", " ", html).split())  # noqa: E731
    return {plain(name): plain(value) for name, value in pairs}


def test_a_visitor_sees_it_before_the_start_button(client, course):
    body = page(client, course)
    assert body.index('id="activity-heading">About this activity</h2>') < body.index(">Start<")
    assert "<details" not in section(body)


def test_a_learner_who_has_not_started_sees_it_before_the_start_button(learner_client, course):
    body = page(learner_client, course)
    assert body.index('id="activity-heading"') < body.index('<a class="button"')
    assert "<details" not in section(body)


@pytest.mark.parametrize("how", ["enrolled", "lesson done"])
def test_a_learner_who_started_finds_it_closed_below_their_progress(
    learner_client, learner, course, how
):
    first = Lesson.objects.get(slug="first")
    if how == "enrolled":
        Enrollment.objects.create(user=learner, course=course, last_lesson=first)
    else:
        LessonCompletion.objects.create(user=learner, lesson=first)
    body = page(learner_client, course)
    assert body.index('id="status-heading"') < body.index('id="activity-heading"')
    assert '<details class="activity-details"><summary>' in section(body)
    assert "Tell format from knowledge" in section(body)  # in the page, for no-JS and search


def test_the_values(client, course):
    found = facts(page(client, course))
    assert found["Objectives"] == (
        "You will learn to: Tell format from knowledge Name the four situations "
        "Check a note against its schema"
    )  # published lessons' objectives, in lesson order; not the draft's
    assert found["Released"] == "2 March 2026"
    assert found["Last reviewed"] == "15 September 2026"
    assert found["Expires"] == "15 September 2029 · reviewed at least every 3 years"
    # 6 + 7 minutes of lessons, 10 drawn questions at a minute and a half
    assert found["Estimated time"] == "About 28 minutes · lessons 13 min, quiz 15 min"
    assert found["Minimum passing score"] == "75% on the quiz “Notes check”"
    assert found["Disclosure"] == "None. No commercial support."
    assert "<strong>None.</strong>" in section(page(client, course))
    assert "<script>alert(1)" not in page(client, course)
    assert '<time datetime="2029-09-15">' in section(page(client, course))


def test_several_quizzes_with_different_marks_are_each_stated(client, course):
    make_quiz(course=course, title="Final", questions=40, pass_percent=80)
    found = facts(page(client, course))
    assert found["Minimum passing score"] == (
        "Each quiz must be passed at its own mark (the highest is 80%): "
        "“Notes check”: 75% “Final”: 80%"
    )
    assert found["Estimated time"] == "About 1 hour 28 minutes · lessons 13 min, quizzes 75 min"


def test_several_quizzes_with_one_mark_say_it_once(client):
    course = make_course(released_on=date(2026, 3, 2), disclosure="None.", lessons=1)
    make_quiz(course=course, pass_percent=70)
    make_quiz(course=course, pass_percent=70)
    assert facts(page(client, course))["Minimum passing score"] == "70% on each of its 2 quizzes"


def test_a_course_without_a_quiz_or_a_review_says_so(client):
    course = make_course(released_on=date(2024, 2, 29), disclosure="None.", lessons=1)
    found = facts(page(client, course))
    assert found["Minimum passing score"] == (
        "No quiz: the course is complete when every lesson is done."
    )
    assert found["Last reviewed"] == "Not reviewed since its release"
    assert found["Expires"].startswith("28 February 2027")  # the leap day, three years on
    assert found["Estimated time"] == "About 5 minutes"


def test_a_course_past_its_review_says_so_to_learners(learner_client):
    course = make_course(released_on=date(2020, 1, 6), disclosure="None.", lessons=1)
    for body in (page(Client(), course), page(learner_client, course)):
        text = section(body)
        assert '<span class="badge badge-warn">Review overdue</span>' in text
        assert "was due for review by <time" in text and "6 January 2023" in text
        assert "may be out of date" in text


def test_a_current_course_says_nothing_about_review(client, course):
    assert "Review overdue" not in page(client, course)


def test_a_draft_without_dates_or_disclosure_says_so_to_staff(admin_client):
    course = make_course(published=False, lessons=1)
    found = facts(page(admin_client, course))
    assert found["Released"] == "Not released yet"
    assert found["Expires"] == "No date yet"
    assert found["Disclosure"] == "No disclosure has been given for this course yet."


# Both page caches: an edit in the admin shows on the next request --------------------------


def edit_disclosure(admin_client, course, text):
    url = reverse("admin:courses_course_change", args=[course.pk])
    data = {
        "title": course.title, "slug": course.slug, "summary": course.summary,
        "order": course.order, "is_published": "on", "released_on": "2026-03-02",
        "last_reviewed_on": "2026-09-15", "disclosure": text,
        "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0,
        "lessons-MIN_NUM_FORMS": 0, "lessons-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    lessons = list(course.lessons.order_by("order", "id"))
    data["lessons-TOTAL_FORMS"] = data["lessons-INITIAL_FORMS"] = len(lessons)
    for n, lesson in enumerate(lessons):
        data.update({
            f"lessons-{n}-id": lesson.pk, f"lessons-{n}-course": course.pk,
            f"lessons-{n}-order": lesson.order, f"lessons-{n}-title": lesson.title,
            f"lessons-{n}-status": lesson.status,
            f"lessons-{n}-estimated_minutes": lesson.estimated_minutes,
        })  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_disclosure_edited_in_the_admin_shows_at_once_to_visitors_and_learners(
    settings, learner_client, admin_user, course
):
    visitor = Client()  # learner_client is the client fixture, logged in
    settings.PAGE_CACHE_SECONDS = 600
    settings.PERSONAL_PAGE_SECONDS = 600
    for reader, kept in ((visitor, "shared_page_cached"), (learner_client, "personal_page_kept")):
        assert "No commercial support." in page(reader, course)
        with CaptureQueriesContext(connection) as queries:  # the second is the kept page
            assert "No commercial support." in page(reader, course)
        assert len(queries) == budget(kept)
    staff = Client()
    staff.force_login(admin_user)
    edit_disclosure(staff, course, "Author X: speaker fees from a model vendor.")
    for reader in (visitor, learner_client):
        found = facts(page(reader, course))
        assert found["Disclosure"] == "Author X: speaker fees from a model vendor."


def test_overdue_is_worked_out_for_the_day_the_page_is_made(learner):
    course = make_course(released_on=date(2023, 12, 1), disclosure="None.", lessons=1)
    overview = catalog.course_overview(course_slug=course.slug, user=learner)
    assert overview.activity.expires_on == date(2026, 12, 1)
    overview.now = timezone.make_aware(timezone.datetime(2026, 12, 1, 23, 59))
    assert not overview.activity.review_overdue  # valid through its expiry day
    overview.now += timedelta(minutes=1)
    assert overview.activity.review_overdue
