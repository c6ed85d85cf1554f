"""Reads for the catalog and the course overview, each a fixed, small number of queries.

Both pages list a course's lessons with the visitor's progress, so they live here beside the
lesson page; what a course asks beyond its lessons comes from ``assessments``, and every
percentage and "complete" from ``courses.completion``.

A learner whose team gave a course a due date sees it on both pages and on /progress/
(``DueStatus``, the badge's facts, from ``courses.deadlines``); the date itself is read with the
course (``accounts.selectors.due_on_for``), so it costs no query of its own.

The overview's activity information (``Overview.activity``, the rules in ``courses.activity``)
costs none either: the course's dates and disclosure come with the course, the objectives with
each lesson (``json_list``), the pass marks and quiz lengths with the quiz panel
(``assessments.Requirement``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import can_preview_drafts
from accounts.selectors import due_on_for
from core.json_lists import json_list, json_rows
from courses import deadlines
from courses.activity import ActivityInfo, activity_info
from courses.completion import Standing
from courses.models import Course, Enrollment

from . import assessments
from .models import Lesson, LessonCompletion, Objective

PUBLISHED = Lesson.Status.PUBLISHED


@dataclass(frozen=True)
class DueStatus:
    """A course's due date for one learner and where they stand, as the badge says it:
    "Due 12 Dec · 3 days left", "Due 12 Dec · today", "Overdue since 12 Dec", or
    "Due 12 Dec · Completed" (a complete course is never overdue)."""

    due_on: datetime.date
    complete: bool
    days_left: int
    is_overdue: bool
    is_due_soon: bool
    today: datetime.date

    @classmethod
    def of(
        cls, due_on: datetime.date | None, *, complete: bool, now: datetime.datetime
    ) -> DueStatus | None:
        """The status of a course due on ``due_on`` (None when it has no due date)."""
        if due_on is None:
            return None
        return cls(
            due_on=due_on,
            complete=complete,
            days_left=deadlines.days_left(due_on, now=now),
            is_overdue=deadlines.is_overdue(due_on, complete=complete, now=now),
            is_due_soon=deadlines.is_due_soon(due_on, complete=complete, now=now),
            today=timezone.localdate(now),
        )

    @property
    def day(self) -> str:
        """The due day, with its year only when it is not this year's."""
        return date_format(self.due_on, "j M" if self.due_on.year == self.today.year else "j M Y")

    @property
    def tone(self) -> str:
        """The badge's colour (its words say the same): ok, bad, warn or neutral."""
        if self.complete:
            return "ok"
        if self.is_overdue:
            return "bad"
        return "warn" if self.is_due_soon else "neutral"


@dataclass
class CatalogEntry:
    """One track on the catalog, with this visitor's standing in it."""

    course: Course
    lesson_count: int
    minutes: int
    standing: Standing
    resume_lesson: Lesson | None = None  # where the learner left off, when they started
    first_lesson_slug: str | None = None
    due: DueStatus | None = None  # when a team of theirs gave the course a due date

    @property
    def done(self) -> int:
        return self.standing.lessons_done

    @property
    def percent(self) -> int:
        return self.standing.percent

    @property
    def is_complete(self) -> bool:
        return self.standing.complete


def _published_done(user) -> Coalesce:
    """Subquery: the user's completions of the course's published lessons (0 when none)."""
    done = (
        LessonCompletion.objects.filter(
            user=user, lesson__course=OuterRef("pk"), lesson__status=PUBLISHED
        )
        .order_by()
        .values("lesson__course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), 0)


def catalog(*, user, now: datetime.datetime | None = None) -> list[CatalogEntry]:
    """The published tracks in order, with lesson counts, minutes and the learner's standing.

    One query for a visitor; three for a learner (courses with their lessons done and due
    dates, the assessment tallies, the places to resume).
    """
    in_catalog = Q(lessons__status=PUBLISHED)
    courses = (
        Course.objects.filter(is_published=True)
        .defer("description", "description_html", "disclosure", "disclosure_html")
        .annotate(
            lesson_count=Count("lessons", filter=in_catalog),
            minutes=Sum("lessons__estimated_minutes", filter=in_catalog, default=0),
            first_lesson_slug=Subquery(
                Lesson.objects.filter(course=OuterRef("pk"), status=PUBLISHED)
                .order_by("order", "id")
                .values("slug")[:1]
            ),
        )
        .order_by("order", "title")  # Meta.ordering is ignored in GROUP BY queries
    )
    signed_in = user.is_authenticated
    if signed_in:
        courses = courses.annotate(lessons_done=_published_done(user), due_on=due_on_for(user))
    courses = list(courses)
    tallies = (
        assessments.tallies(user=user, course_ids=[c.pk for c in courses]) if signed_in else {}
    )
    entries = {}
    now = now or timezone.now()
    for course in courses:
        tally = tallies.get(course.pk, assessments.Tally())
        entries[course.pk] = entry = CatalogEntry(
            course=course,
            lesson_count=course.lesson_count,
            minutes=course.minutes,
            first_lesson_slug=course.first_lesson_slug,
            standing=Standing(
                lessons_done=getattr(course, "lessons_done", 0),
                lessons_total=course.lesson_count,
                quizzes_passed=tally.passed,
                quizzes_total=tally.total,
            ),
        )
        entry.due = DueStatus.of(
            getattr(course, "due_on", None), complete=entry.is_complete, now=now
        )
    if signed_in and entries:
        enrollments = Enrollment.objects.filter(
            user=user, course__in=entries, last_lesson__status=PUBLISHED
        ).select_related("last_lesson")
        for enrollment in enrollments:
            entry = entries[enrollment.course_id]
            enrollment.last_lesson.course = entry.course
            entry.resume_lesson = enrollment.last_lesson
    return list(entries.values())


@dataclass
class Overview:
    """A course's lessons in order, with what this visitor has done and where to resume."""

    course: Course
    lessons: list[Lesson]  # each with .is_done
    resume_lesson: Lesson | None = None
    next_course: Course | None = None  # read only once the course is complete
    published: list[Lesson] = field(default_factory=list)
    panels: list[assessments.Panel] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=timezone.now)
    enrolled: bool = False

    @property
    def started(self) -> bool:
        """Whether the learner has begun the course: opened a lesson, done one or passed a
        quiz. Before that, the activity information comes before the Start button."""
        standing = self.standing
        return self.enrolled or bool(standing.lessons_done or standing.quizzes_passed)

    @property
    def activity(self) -> ActivityInfo:
        """The course's activity information: its published lessons' objectives in lesson
        order, dates, time, pass marks and disclosure."""
        course = self.course
        requirements = [r for panel in self.panels for r in panel.requirements]
        return activity_info(
            objectives=[
                row["text"]
                for lesson in self.published
                for row in json_rows(getattr(lesson, "objective_list", None))
            ],
            released_on=course.released_on,
            last_reviewed_on=course.last_reviewed_on,
            lesson_minutes=[lesson.estimated_minutes for lesson in self.published],
            quizzes=[(r.title, r.pass_percent, r.questions) for r in requirements],
            disclosure_html=course.disclosure_html,
            today=timezone.localdate(self.now),
        )

    @property
    def standing(self) -> Standing:
        tally = assessments.combined(self.panels)
        return Standing(
            lessons_done=sum(1 for lesson in self.published if lesson.is_done),
            lessons_total=len(self.published),
            quizzes_passed=tally.passed,
            quizzes_total=tally.total,
        )

    @property
    def done(self) -> int:
        return self.standing.lessons_done

    @property
    def percent(self) -> int:
        return self.standing.percent

    @property
    def left(self) -> list[Lesson]:
        return [lesson for lesson in self.published if not lesson.is_done]

    @property
    def minutes(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.published)

    @property
    def minutes_left(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.left)

    @property
    def start_lesson(self) -> Lesson | None:
        return self.published[0] if self.published else None

    @property
    def is_preview(self) -> bool:
        return not self.course.is_published

    @property
    def due(self) -> DueStatus | None:
        """The learner's due date for the course, if a team of theirs gave it one."""
        due_on = getattr(self.course, "due_on", None)
        return DueStatus.of(due_on, complete=self.standing.complete, now=self.now)


def course_overview(*, course_slug: str, user) -> Overview:
    """The course and its lessons, or Http404 when this visitor may not see it."""
    courses = Course.objects.filter(slug=course_slug)
    if user.is_authenticated:
        courses = courses.annotate(
            due_on=due_on_for(user),
            **next_track_fields(user, course_slug=course_slug),
        )
    course = courses.first()
    preview = can_preview_drafts(user, Course)
    if course is None or not (course.is_published or preview):
        raise Http404("No such course.")
    # Each lesson's objectives come with it, for the activity information (no query of their own).
    objective_list = json_list(
        Objective.objects.filter(lesson=OuterRef("pk")),
        group_by="lesson", text="text", order="order", id="id",
    )  # fmt: skip
    lessons = (
        course.lessons.only(
            "id", "slug", "title", "order", "status", "estimated_minutes", "course_id"
        )
        .annotate(objective_list=objective_list)
        .order_by("order", "id")
    )
    if not preview:
        lessons = lessons.filter(status=PUBLISHED)
    if user.is_authenticated:
        lessons = lessons.annotate(
            is_done=Exists(LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk")))
        )
    lessons = list(lessons)
    for lesson in lessons:
        lesson.course = course
        if not user.is_authenticated:
            lesson.is_done = False
    overview = Overview(
        course=course,
        lessons=lessons,
        published=[x for x in lessons if x.is_published],
        panels=assessments.course_panels(user=user, course=course),
    )
    if user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=user, course=course).values("last_lesson_id")
        enrollment = enrollment.first()
        overview.enrolled = enrollment is not None
        last_lesson_id = enrollment and enrollment["last_lesson_id"]
        overview.resume_lesson = next(
            (x for x in overview.published if x.pk == last_lesson_id), None
        )
        if overview.standing.complete:
            overview.next_course = next_track(course)
    return overview


def next_track_fields(user, *, course_slug=None, course_id=None) -> dict[str, Coalesce]:
    """Annotations naming the track to suggest once the course ``course_slug`` is complete,
    for the query a page already makes (so the suggestion costs no query of its own, complete
    or not); the course is named by ``course_slug`` or ``course_id`` (a value or an
    ``OuterRef``): ``next_track_slug`` and ``next_track_title`` of the first published course after
    it in catalog order, wrapping round, that has a published lesson ``user`` has not done.

    The lessons left stand for "not complete" here: a track whose lessons are all read but
    whose quiz is not passed is not offered as the *next* track (its own pages offer the quiz).
    """
    # filter(~...) rather than exclude(): exclude() rewrites outer references into a subquery
    # of its own, which loses them.
    undone = Lesson.objects.filter(
        ~Exists(LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk"))),
        course=OuterRef("pk"),
        status=PUBLISHED,
    )
    this = Q(slug=course_slug) if course_slug is not None else Q(pk=course_id)
    # The course's order is read one subquery deeper, so an outer reference reaches one further.
    deeper = Q(pk=OuterRef(course_id)) if isinstance(course_id, OuterRef) else this
    order = Subquery(Course.objects.filter(deeper).values("order")[:1])
    candidates = Course.objects.filter(~this, Exists(undone), is_published=True).order_by(
        "order", "title"
    )
    # The first one after this course, else (wrapping round) the first one at all. Two
    # subqueries rather than ORDER BY a comparison: SQLite cannot correlate inside ORDER BY.
    after = candidates.filter(order__gt=order)
    return {
        name: Coalesce(Subquery(after.values(field)[:1]), Subquery(candidates.values(field)[:1]))
        for name, field in (("next_track_slug", "slug"), ("next_track_title", "title"))
    }


def next_track(row) -> Course | None:
    """The track ``next_track_fields`` named on ``row``, as a Course that can link to itself."""
    slug = getattr(row, "next_track_slug", None)
    return Course(slug=slug, title=row.next_track_title) if slug else None
