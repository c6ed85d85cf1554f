"""Reads for lesson pages: the lesson, its place in the course, and the learner's progress.

Shaped so a lesson page costs a fixed number of queries whatever the course's size or the
learner's history. What every visitor shares (the lesson with its course, its siblings, its
objectives: ``SharedLesson``) is read once per content version and kept in the cache
(``core.shared``); per request there are the learner's completions in the course (one query,
which with the siblings makes the course outline and the time left) and the course's
assessments in the outline (one). The track to suggest once the course is complete is read
only then (one query), so a complete course costs no more than before and any other one less.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import OuterRef, Subquery
from django.http import Http404

from accounts.roles import can_preview_drafts
from core import shared
from courses import completion
from courses.completion import Standing
from courses.models import Course

from . import assessments
from .catalog import next_track, next_track_fields
from .models import Lesson, LessonCompletion, Objective
from .next_step import Progress


@dataclass(frozen=True)
class OutlineItem:
    """One line of the course outline beside a lesson: a lesson or an assessment."""

    kind: str  # lesson | quiz
    title: str
    url: str
    done: bool = False
    current: bool = False
    draft: bool = False
    minutes: int | None = None


@dataclass
class LessonPage:
    """Everything a lesson page shows besides the body itself."""

    lesson: Lesson
    previous: Lesson | None
    next: Lesson | None
    position: int  # 1-based, among the lessons this visitor can see
    visible_count: int
    published_count: int
    done_count: int  # published lessons of this course the visitor has completed
    completed_at: datetime | None
    outline: list[OutlineItem] = field(default_factory=list)
    minutes_left: int = 0  # reading time of the published lessons not done yet
    standing: Standing = Standing()
    next_undone: Lesson | None = None  # the next published lesson not done, other than this
    quiz_left: assessments.OutlineEntry | None = None
    user: object = None
    shared_objectives: list[Objective] | None = None  # from ``SharedLesson``, when read so

    @property
    def course(self):
        return self.lesson.course

    @property
    def is_preview(self) -> bool:
        """True when learners cannot see this page yet (a draft, or an unpublished course)."""
        return not (self.lesson.is_published and self.lesson.course.is_published)

    @property
    def percent(self) -> int:
        """The course's percentage for this visitor, by ``courses.completion``'s one rule."""
        return completion.percent(self.done_count, self.published_count)

    @property
    def can_complete(self) -> bool:
        return not self.is_preview

    @cached_property
    def progress(self) -> Progress:
        """The facts ``next_step.next_steps`` suggests from (the next track was read with the
        lesson by ``published_lesson``, or is read now, once the course is complete)."""
        next_course = None
        if self.standing.complete:
            row = self.lesson
            if not hasattr(row, "next_track_slug"):
                row = _next_track_row(self.user, self.course)
            next_course = next_track(row)
        return Progress(
            course=self.course,
            standing=self.standing,
            next_lesson=self.next_undone,
            quiz_left=self.quiz_left,
            next_course=next_course,
        )

    @cached_property
    def objectives(self) -> list[Objective]:
        """The lesson's learning objectives ("You will learn to"), read when the page shows
        them: one query for the full page, none for the completion partial (and none when
        they came with the shared lesson)."""
        if self.shared_objectives is not None:
            return self.shared_objectives
        return list(self.lesson.objectives.only("id", "text", "order", "lesson_id"))


@dataclass
class SharedLesson:
    """What a lesson page shows the same to every visitor, kept per content version: the
    lesson with its course, every lesson of the course (drafts too: who may see them is
    decided per request), and the lesson's objectives."""

    lesson: Lesson
    siblings: list[Lesson]
    objectives: list[Objective]


def shared_lesson(*, request, course_slug: str, lesson_slug: str) -> SharedLesson | None:
    """The lesson's ``SharedLesson`` from the cache, or read (three queries) and kept; None
    when there is no such lesson (drafts included: ``lesson_page`` decides who sees them)."""

    def read() -> SharedLesson | None:
        lesson = (
            Lesson.objects.select_related("course")
            .defer("body", "sources", "course__description")
            .filter(course__slug=course_slug, slug=lesson_slug)
            .first()
        )
        if lesson is None:
            return None
        siblings = list(
            Lesson.objects.filter(course_id=lesson.course_id)
            .only("id", "slug", "title", "order", "status", "estimated_minutes", "course_id")
            .order_by("order", "id")
        )
        objectives = list(lesson.objectives.only("id", "text", "order", "lesson_id"))
        return SharedLesson(lesson=lesson, siblings=siblings, objectives=objectives)

    return shared.facts(request, "lesson", (course_slug, lesson_slug), read)


def _may_see(user, lesson: Lesson) -> bool:
    return (lesson.is_published and lesson.course.is_published) or can_preview_drafts(user, Lesson)


def _completions(user, lessons: list[Lesson]) -> dict[int, datetime]:
    """When ``user`` completed each of ``lessons`` they completed, by lesson id: one query."""
    if not user.is_authenticated or not lessons:
        return {}
    rows = LessonCompletion.objects.filter(
        user=user, lesson_id__in=[lesson.pk for lesson in lessons]
    ).values_list("lesson_id", "completed_at")
    return dict(rows)


def _next_track_row(user, course):
    """The course with ``next_track_fields`` for ``user`` (one query), for ``next_track``."""
    return (
        Course.objects.filter(pk=course.pk)
        .annotate(**next_track_fields(user, course_id=course.pk))
        .only("id")
        .first()
    )


def visible_lesson(*, course_slug: str, lesson_slug: str, user) -> Lesson:
    """The lesson with its course, or Http404 when this visitor may not see it."""
    lessons = Lesson.objects.select_related("course").defer(
        "body", "sources", "course__description"
    )
    if user.is_authenticated:
        lessons = lessons.annotate(**next_track_fields(user, course_slug=course_slug))
    lesson = lessons.filter(course__slug=course_slug, slug=lesson_slug).first()
    if lesson is None:
        raise Http404("No such lesson.")
    if not _may_see(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def published_lesson(*, course_slug: str, lesson_slug: str, user=None) -> Lesson:
    """A lesson learners can see, with its course, or Http404 (drafts cannot be completed).

    For a signed-in ``user`` it carries what ``lesson_page`` needs to show the completion
    panel (the next track's fields too), so marking complete reads the lesson once."""
    lessons = Lesson.objects.select_related("course").only(
        "id", "slug", "title", "status", "estimated_minutes", "course__slug",
        "course__title", "course__is_published",
    )  # fmt: skip
    if user is not None and user.is_authenticated:
        lessons = lessons.annotate(**next_track_fields(user, course_slug=course_slug))
    lesson = lessons.filter(
        course__slug=course_slug,
        course__is_published=True,
        slug=lesson_slug,
        status=Lesson.Status.PUBLISHED,
    ).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def lesson_page(
    *,
    course_slug: str,
    lesson_slug: str,
    user,
    lesson: Lesson | None = None,
    request=None,
) -> LessonPage:
    """The page's facts; ``lesson`` when the caller read it already (``published_lesson``).

    With ``request`` (and no ``lesson``), what every visitor shares comes from the cache
    (``shared_lesson``) and only the learner's completions are read."""
    objectives = None
    if lesson is None and request is not None:
        found = shared_lesson(request=request, course_slug=course_slug, lesson_slug=lesson_slug)
        if found is None or not _may_see(user, found.lesson):
            raise Http404("No such lesson.")
        lesson, siblings, objectives = found.lesson, found.siblings, found.objectives
        done = _completions(user, siblings)
        for sibling in siblings:
            sibling.completed_at = done.get(sibling.pk)
    else:
        if lesson is None:
            lesson = visible_lesson(course_slug=course_slug, lesson_slug=lesson_slug, user=user)
        siblings = _siblings_with_completion(lesson, user)
    for sibling in siblings:
        sibling.course = lesson.course  # so their URLs need no query
    published = [s for s in siblings if s.is_published]
    visible = siblings if can_preview_drafts(user, Lesson) else published
    index = next(i for i, sibling in enumerate(visible) if sibling.pk == lesson.pk)
    this = visible[index]
    entries = assessments.outline_entries(user=user, course=lesson.course, request=request)
    passed = sum(1 for entry in entries if entry.passed)
    return LessonPage(
        outline=_outline(visible, entries, current=lesson.pk),
        minutes_left=sum(s.estimated_minutes for s in published if not _done(s)),
        standing=Standing(
            lessons_done=sum(1 for s in published if _done(s)),
            lessons_total=len(published),
            quizzes_passed=passed,
            quizzes_total=len(entries),
        ),
        next_undone=_next_undone(published, current=lesson.pk),
        quiz_left=next((entry for entry in entries if not entry.passed), None),
        user=user,
        lesson=lesson,
        previous=visible[index - 1] if index > 0 else None,
        next=visible[index + 1] if index + 1 < len(visible) else None,
        position=index + 1,
        visible_count=len(visible),
        published_count=len(published),
        done_count=sum(1 for s in published if getattr(s, "completed_at", None)),
        completed_at=getattr(this, "completed_at", None),
        shared_objectives=objectives,
    )


def _siblings_with_completion(lesson: Lesson, user) -> list[Lesson]:
    siblings = Lesson.objects.filter(course_id=lesson.course_id).only(
        "id", "slug", "title", "order", "status", "estimated_minutes", "course_id"
    )
    if user.is_authenticated:
        siblings = siblings.annotate(
            completed_at=Subquery(
                LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk")).values(
                    "completed_at"
                )[:1]
            )
        )
    return list(siblings.order_by("order", "id"))


def _done(lesson: Lesson) -> bool:
    return bool(getattr(lesson, "completed_at", None))


def _next_undone(published: list[Lesson], *, current: int) -> Lesson | None:
    """The first published lesson not done after ``current``, else the first before it."""
    index = next((i for i, s in enumerate(published) if s.pk == current), -1)
    after, before = published[index + 1 :], published[: max(index, 0)]
    return next((s for s in after + before if not _done(s) and s.pk != current), None)


def _outline(lessons: list[Lesson], entries, *, current: int) -> list[OutlineItem]:
    """The lessons in order, each assessment after the lesson it follows, the rest at the end."""
    items = []
    placed = set()
    for lesson in lessons:
        items.append(
            OutlineItem(
                kind="lesson",
                title=lesson.title,
                url=lesson.get_absolute_url(),
                done=lesson.is_published and _done(lesson),
                current=lesson.pk == current,
                draft=not lesson.is_published,
                minutes=lesson.estimated_minutes,
            )
        )
        for number, entry in enumerate(entries):
            if entry.after_lesson_id == lesson.pk:
                items.append(OutlineItem("quiz", entry.title, entry.url, done=entry.passed))
                placed.add(number)
    items.extend(
        OutlineItem("quiz", entry.title, entry.url, done=entry.passed)
        for number, entry in enumerate(entries)
        if number not in placed
    )
    return items


def course_progress(*, user, course, after_lesson_id: int | None = None) -> Progress:
    """Where ``user`` stands in ``course`` and what comes next (after a quiz, say): two
    queries, the next track included, complete or not."""
    published = list(
        Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED)
        .only("id", "slug", "title", "order", "status", "estimated_minutes", "course_id")
        .annotate(
            # On every row alike; read from the first (a course without lessons offers none).
            **next_track_fields(user, course_slug=course.slug),
            completed_at=Subquery(
                LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk")).values(
                    "completed_at"
                )[:1]
            ),
        )
        .order_by("order", "id")
    )
    for lesson in published:
        lesson.course = course
    entries = assessments.outline_entries(user=user, course=course)
    standing = Standing(
        lessons_done=sum(1 for s in published if _done(s)),
        lessons_total=len(published),
        quizzes_passed=sum(1 for entry in entries if entry.passed),
        quizzes_total=len(entries),
    )
    return Progress(
        course=course,
        standing=standing,
        next_lesson=_next_undone(published, current=after_lesson_id or 0),
        quiz_left=next((entry for entry in entries if not entry.passed), None),
        next_course=next_track(published[0]) if standing.complete and published else None,
    )
