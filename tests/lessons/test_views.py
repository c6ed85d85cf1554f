"""The lesson page: visibility, table of contents, prev/next, resume and marking complete."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.rendering import HEADING_ID_PREFIX
from courses.models import Enrollment
from lessons import selectors
from lessons.models import Lesson, LessonCompletion
from lessons.services import record_visit
from review.selectors import summary as review_summary
from tests.factories import make_course, make_lesson, make_lessons

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10

LONG_BODY = "## Why\n\ntext\n\n## How\n\ntext\n\n### Detail\n\ntext\n\n## So what\n\ntext"


def complete_url(lesson):
    return reverse("lessons:complete", kwargs={"course": lesson.course.slug, "lesson": lesson.slug})


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def page_ids(html):
    parser = _Ids()
    parser.feed(html)
    return parser.ids


def test_url_name_and_kwargs():
    assert reverse("lessons:detail", kwargs={"course": "c", "lesson": "l"}) == "/courses/c/l/"


def test_anonymous_visitor_reads_a_published_lesson(client):
    lesson = make_lesson(
        course=make_course(), title="Format is the problem", body="Some **bold** text."
    )
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 id="lesson-title">Format is the problem</h1>' in body
    assert "Some <strong>bold</strong> text." in body
    assert "Draft: not visible" not in body


@pytest.mark.parametrize("status", ["draft_lesson", "unpublished_course"])
def test_hidden_lessons_are_404_for_learners_and_previewed_by_staff(
    status, client, learner_client, admin_client
):
    course = make_course(published=status != "unpublished_course")
    lesson = make_lesson(
        course=course,
        status=Lesson.Status.DRAFT if status == "draft_lesson" else Lesson.Status.PUBLISHED,
    )
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert learner_client.get(lesson.get_absolute_url()).status_code == 404
    response = admin_client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: not visible to learners." in response.content.decode()


def test_unknown_lesson_is_404(client):
    course = make_course()
    assert client.get(f"/courses/{course.slug}/nope/").status_code == 404
    assert client.get("/courses/nope/nope/").status_code == 404


def test_long_lessons_get_a_table_of_contents(client):
    course = make_course()
    long = make_lesson(course=course, body=LONG_BODY)
    short = make_lesson(course=course, body="## Only\n\ntext")
    body = client.get(long.get_absolute_url()).content.decode()
    assert "On this page" in body
    for anchor in ("why", "how", "detail", "so-what"):
        assert f'href="#{HEADING_ID_PREFIX}{anchor}"' in body
        assert f'id="{HEADING_ID_PREFIX}{anchor}"' in body
    assert "On this page" not in client.get(short.get_absolute_url()).content.decode()


def test_lesson_headings_cannot_take_the_pages_own_ids(client):
    lesson = make_lesson(
        course=make_course(),
        body='## Main\n\n<h2 id="main">x</h2>\n\n## Completion\n\n<h3 id="messages">y</h3>',
    )
    ids = page_ids(client.get(lesson.get_absolute_url()).content.decode())
    own = [value for value in ids if not value.startswith(HEADING_ID_PREFIX)]
    assert len(own) == len(set(own)), own
    assert {"main", "messages", "completion", "lesson-title"} <= set(own)
    assert {f"{HEADING_ID_PREFIX}main", f"{HEADING_ID_PREFIX}completion"} <= set(ids)


def test_previous_and_next_follow_the_published_order(client):
    course = make_course()
    first = make_lesson(course=course, order=1, title="First")
    make_lesson(course=course, order=2, title="Secret draft", status=Lesson.Status.DRAFT)
    second = make_lesson(course=course, order=3, title="Second")
    third = make_lesson(course=course, order=4, title="Third")
    body = client.get(second.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in body
    assert f'rel="next" href="{third.get_absolute_url()}"' in body
    assert "Secret draft" not in body
    assert "Lesson 2 of 3" in body
    first_body = client.get(first.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in first_body
    last_body = client.get(third.get_absolute_url()).content.decode()
    assert 'rel="next"' not in last_body
    assert "End of the track" in last_body


def test_last_reviewed_date_and_sources_are_shown(client):
    import datetime

    lesson = make_lesson(
        course=make_course(),
        reviewed_on=datetime.date(2026, 11, 20),
        sources="- The source article, *in our words*",
    )
    body = client.get(lesson.get_absolute_url()).content.decode()
    assert 'Last reviewed <time datetime="2026-11-20">20 November 2026</time>' in body
    assert '<h2 id="sources-heading">Sources</h2>' in body
    assert "<em>in our words</em>" in body


def test_unreviewed_lesson_says_so(client):
    lesson = make_lesson(course=make_course())
    assert "Not reviewed yet" in client.get(lesson.get_absolute_url()).content.decode()


def test_viewing_records_where_to_resume_and_enrols(learner_client, learner):
    course = make_course()
    first, second = make_lessons(course=course, count=2)
    learner_client.get(first.get_absolute_url())
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.last_lesson == first
    assert enrollment.last_seen_at is not None
    learner_client.get(second.get_absolute_url())
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == second
    assert Enrollment.objects.filter(user=learner).count() == 1


def test_resume_stays_right_while_views_are_not_all_written(
    learner_client, learner, django_capture_on_commit_callbacks
):
    """A view of the lesson recorded last writes nothing for minutes; a move writes at once,
    so the overview's resume point and /progress/ follow every move."""
    course = make_course()
    first, second = make_lessons(course=course, count=2)
    resume = '<a class="button" href="{}">Resume where you left off</a>'
    for lesson in (first, first, second, second, first):
        with django_capture_on_commit_callbacks(execute=True):
            assert learner_client.get(lesson.get_absolute_url()).status_code == 200
        assert Enrollment.objects.get(user=learner, course=course).last_lesson == lesson
        body = learner_client.get(course.get_absolute_url()).content.decode()
        assert resume.format(lesson.get_absolute_url()) in body
    assert f'href="{first.get_absolute_url()}">Continue' in learner_client.get(reverse("progress:mine")).content.decode()
    Enrollment.objects.filter(user=learner).delete()  # a fresh start (the admin)
    assert course.title not in learner_client.get(reverse("progress:mine")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.get(first.get_absolute_url())
    assert Enrollment.objects.get(user=learner, course=course).last_lesson == first
    assert f'href="{first.get_absolute_url()}">Continue' in learner_client.get(reverse("progress:mine")).content.decode()


def test_anonymous_and_staff_previews_record_nothing(client, admin_client):
    course = make_course()
    lesson = make_lesson(course=course)
    draft = make_lesson(course=course, status=Lesson.Status.DRAFT)
    client.get(lesson.get_absolute_url())
    admin_client.get(draft.get_absolute_url())
    assert not Enrollment.objects.exists()


def test_mark_complete_without_javascript_posts_and_redirects_back(learner_client, learner):
    lesson = make_lesson(course=make_course())
    response = learner_client.post(complete_url(lesson))
    assert response.status_code == 302
    assert response["Location"] == lesson.get_absolute_url() + "#completion"
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    body = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "You completed this lesson on" in body
    assert "Mark complete" not in body


def test_mark_complete_with_htmx_returns_just_the_region(learner_client, learner):
    course = make_course()
    lesson, following = make_lessons(course=course, count=2)
    response = learner_client.post(complete_url(lesson), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<section id="completion"')
    assert "You completed this lesson on" in body
    assert "1 of 2 lessons done" in body
    assert following.get_absolute_url() in body


def test_the_full_page_holds_the_completion_form_for_htmx_and_plain_posts(learner_client):
    lesson = make_lesson(course=make_course())
    body = learner_client.get(lesson.get_absolute_url()).content.decode()
    url = complete_url(lesson)
    assert f'<form method="post" action="{url}" hx-post="{url}">' in body
    assert 'hx-target="this" hx-swap="outerHTML"' in body


def test_marking_complete_twice_keeps_one_row(learner_client, learner):
    lesson = make_lesson(course=make_course())
    learner_client.post(complete_url(lesson))
    learner_client.post(complete_url(lesson), headers={"HX-Request": "true"})
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1


def test_completing_the_first_lesson_enrols(learner_client, learner):
    lesson = make_lesson(course=make_course())
    learner_client.post(complete_url(lesson))
    assert Enrollment.objects.filter(user=learner, course=lesson.course).exists()


def test_anonymous_completion_goes_to_log_in_and_back(client):
    lesson = make_lesson(course=make_course())
    response = client.post(complete_url(lesson))
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/accounts/login/?next=%2Fcourses%2F{lesson.course.slug}%2F{lesson.slug}%2F"
    )
    assert not LessonCompletion.objects.exists()
    htmx = client.post(complete_url(lesson), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == response["Location"]


def test_drafts_cannot_be_completed_even_by_staff(admin_client):
    lesson = make_lesson(course=make_course(), status=Lesson.Status.DRAFT)
    assert admin_client.post(complete_url(lesson)).status_code == 404
    body = admin_client.get(lesson.get_absolute_url()).content.decode()
    assert "Mark complete" not in body


def test_complete_only_accepts_post(learner_client):
    lesson = make_lesson(course=make_course())
    assert learner_client.get(complete_url(lesson)).status_code == 405


def test_detail_only_accepts_get(learner_client):
    lesson = make_lesson(course=make_course())
    assert learner_client.post(lesson.get_absolute_url()).status_code == 405


def build(learner, *, lessons, completions):
    course = make_course()
    made = make_lessons(course=course, count=lessons, body=LONG_BODY)
    for lesson in made[:completions]:
        LessonCompletion.objects.create(user=learner, lesson=lesson)
    return made[len(made) // 2]


SCENARIOS = [(3, 0), (30, 0), (30, 30), (3, 3)]  # (lessons, completions)


def test_lesson_page_queries_stay_under_ten_and_do_not_grow(learner_client, learner):
    counts = {}
    # The header's review summary, cached per learner for minutes: warm, as after any page.
    review_summary(user=learner, now=timezone.now())
    for lessons, completions in SCENARIOS:
        lesson = build(learner, lessons=lessons, completions=completions)
        # The first view reads what every learner shares (lesson, siblings, objectives, the
        # course's quizzes) and keeps it per content version (core.shared); the next one
        # reads only the learner's own rows.
        for visit in ("first", "again"):
            with CaptureQueriesContext(connection) as queries:
                assert learner_client.get(lesson.get_absolute_url()).status_code == 200
            counts[(lessons, completions, visit)] = len(queries)
    for visit in ("first", "again"):
        # Whatever the numbers, the same; a complete course reads its next track (+1).
        assert counts[(3, 0, visit)] == counts[(30, 0, visit)], counts
        assert counts[(30, 30, visit)] == counts[(3, 3, visit)] == counts[(3, 0, visit)] + 1
    assert counts[(3, 0, "first")] == counts[(3, 0, "again")] + 4, counts
    assert max(counts.values()) <= MAX_QUERIES, counts


def test_anonymous_lesson_page_queries_do_not_grow(client):
    counts = []
    for lessons in (3, 30):
        lesson = make_lessons(course=make_course(), count=lessons)[1]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(lesson.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES


@pytest.mark.parametrize(("lessons", "completions"), SCENARIOS)
def test_the_lesson_page_selector_and_resume_are_four_queries(
    learner, django_assert_num_queries, lessons, completions
):
    lesson = build(learner, lessons=lessons, completions=completions)
    # The lesson with its course, its siblings with completion times, the course's quizzes
    # for the outline, the resume upsert.
    with django_assert_num_queries(4):
        page = selectors.lesson_page(
            course_slug=lesson.course.slug, lesson_slug=lesson.slug, user=learner
        )
        record_visit(user=learner, course_slug=lesson.course.slug, lesson_slug=lesson.slug)
    assert page.done_count == completions and page.published_count == lessons
