"""Every page that shows progress shows the same figure and the same completion.

Two learners in a course of three published lessons and one published quiz (plus a draft
lesson, which counts for nothing): one has done 2 of 3 lessons, the other has read every
lesson but not passed the quiz. The catalog, the course overview, the lesson page,
``/progress/``, the team dashboard and its CSV must agree on 66 % / 100 % (rounded down, one
rule: ``courses.completion``) and must all say the course is not complete; once the second
learner passes the quiz, all of them say complete.
"""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import Membership, Team
from courses import completion
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from quizzes.models import Attempt, Choice, Question, Quiz


class _ProgressText(HTMLParser):
    """The text inside each <progress> element, by id."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "progress":
            self._current = dict(attrs).get("id", "")
            self.found[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "progress":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self.found[self._current] += data.strip()


def progress_text(html: str, element_id: str) -> str:
    parser = _ProgressText()
    parser.feed(html)
    return parser.found[element_id]


@pytest.fixture
def course_world(db, make_user):
    course = Course.objects.create(slug="docs", title="Documentation", summary="S.", is_published=True)
    lessons = [
        Lesson.objects.create(
            course=course, slug=f"l{i}", title=f"Lesson {i}", order=i, body="Text.",
            status=Lesson.Status.PUBLISHED,
        )
        for i in range(1, 4)
    ]
    Lesson.objects.create(course=course, slug="draft", title="Draft", order=9, body="D.")
    quiz = Quiz.objects.create(course=course, slug="docs-quiz", title="Docs quiz", is_published=True)
    question = Question.objects.create(quiz=quiz, prompt="Q?", kind=Question.Kind.SINGLE)
    Choice.objects.create(question=question, text="Right", is_correct=True, feedback="Yes.")
    Choice.objects.create(question=question, text="Wrong", is_correct=False, feedback="No.")
    partway = make_user("partway")
    reader = make_user("reader")
    for lesson in lessons[:2]:
        LessonCompletion.objects.create(user=partway, lesson=lesson)
    for lesson in lessons:
        LessonCompletion.objects.create(user=reader, lesson=lesson)
    # The reader tried the quiz and failed it.
    Attempt.objects.create(
        user=reader, quiz=quiz, submitted_at="2026-11-01T10:00:00Z", score=0, total=1,
        percent=0, passed=False,
    )
    manager = make_user("boss")
    team = Team.objects.create(name="Team", slug="team")
    team.courses.add(course)
    Membership.objects.create(team=team, user=manager, role=Membership.Role.MANAGER)
    return {"course": course, "lessons": lessons, "quiz": quiz, "team": team,
            "partway": partway, "reader": reader, "manager": manager}


def figures_seen(client, world, learner) -> dict[str, tuple[int, bool]]:
    """(percent, complete) as each page and the CSV show them to/for ``learner``."""
    course, team = world["course"], world["team"]
    Membership.objects.filter(team=team, role=Membership.Role.MEMBER).delete()
    Membership.objects.create(team=team, user=learner, role=Membership.Role.MEMBER)
    client.force_login(learner)
    seen = {}

    html = client.get(reverse("courses:catalog")).content.decode()
    seen["catalog"] = (
        int(progress_text(html, f"progress-{course.slug}").rstrip("%")),
        "Course complete" in html,
    )
    html = client.get(course.get_absolute_url()).content.decode()
    seen["overview"] = (
        int(progress_text(html, "course-progress").rstrip("%")),
        "Course complete." in html,
    )
    html = client.get(world["lessons"][0].get_absolute_url()).content.decode()
    lesson_percent = re.search(r"lessons? done in Documentation \((\d+)%\)", html)
    seen["lesson"] = (int(lesson_percent.group(1)), None)
    html = client.get(reverse("progress:mine")).content.decode()
    seen["progress"] = (
        int(progress_text(html, f"progress-{course.slug}").rstrip("%")),
        "Course complete" in html,
    )

    client.force_login(world["manager"])
    html = client.get(reverse("progress:team", args=[team.slug])).content.decode()
    average = re.search(r'<span class="stat-value">(\d+)%</span><span class="stat-label">average completion', html)
    completions = re.search(r'<span class="stat-value">(\d+) <small>of 1</small>', html)
    seen["team dashboard"] = (int(average.group(1)), completions.group(1) == "1")
    body = client.get(reverse("progress:export", args=[team.slug])).content.decode()
    (row,) = list(csv.DictReader(io.StringIO(body)))
    seen["csv"] = (int(row["percent_complete"]), row["course_complete"] == "true")
    return seen


def assert_agree(seen, *, percent, complete):
    for page, (shown_percent, shown_complete) in seen.items():
        assert shown_percent == percent, f"{page} shows {shown_percent}%, not {percent}%"
        if shown_complete is not None:
            assert shown_complete is complete, f"{page} says complete={shown_complete}"


def test_two_of_three_lessons_is_the_same_percentage_everywhere(client, course_world):
    seen = figures_seen(client, course_world, course_world["partway"])
    assert_agree(seen, percent=completion.percent(2, 3), complete=False)
    assert completion.percent(2, 3) == 66


def test_every_lesson_read_but_the_quiz_not_passed_is_not_complete_anywhere(client, course_world):
    seen = figures_seen(client, course_world, course_world["reader"])
    assert_agree(seen, percent=100, complete=False)


def test_passing_the_quiz_completes_the_course_everywhere(client, course_world):
    Attempt.objects.create(
        user=course_world["reader"], quiz=course_world["quiz"], submitted_at="2026-11-02T10:00:00Z",
        score=1, total=1, percent=100, passed=True,
    )
    seen = figures_seen(client, course_world, course_world["reader"])
    assert_agree(seen, percent=100, complete=True)


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (199, 200, 99), (5, 3, 100)],
)
def test_the_percentage_rounds_down_so_100_means_everything(done, total, expected):
    assert completion.percent(done, total) == expected


def test_a_course_with_nothing_published_is_never_complete():
    assert not completion.Standing().complete
    assert completion.Standing(lessons_done=2, lessons_total=2).complete
    assert not completion.Standing(lessons_done=2, lessons_total=2, quizzes_total=1).complete
    assert completion.Standing(quizzes_passed=1, quizzes_total=1).complete
