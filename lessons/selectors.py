"""Reads for lesson pages: the lesson, its place in the course, and the learner's progress.

Shaped so a lesson page costs a fixed number of queries whatever the course's size or the
learner's history: one for the lesson and its course, one for its siblings with completion.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import OuterRef, Subquery
from django.http import Http404

from accounts.roles import can_preview_drafts
from courses import completion

from .models import Lesson, LessonCompletion, Objective


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
    def objectives(self) -> list[Objective]:
        """The lesson's learning objectives ("You will learn to"), read when the page shows
        them: one query for the full page, none for the completion partial."""
        return list(self.lesson.objectives.only("id", "text", "order", "lesson_id"))


def visible_lesson(*, course_slug: str, lesson_slug: str, user) -> Lesson:
    """The lesson with its course, or Http404 when this visitor may not see it."""
    lesson = (
        Lesson.objects.select_related("course")
        .defer("body", "sources", "course__description")
        .filter(course__slug=course_slug, slug=lesson_slug)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson.")
    if not (lesson.is_published and lesson.course.is_published) and not can_preview_drafts(user, Lesson):
        raise Http404("No such lesson.")
    return lesson


def published_lesson(*, course_slug: str, lesson_slug: str) -> Lesson:
    """A lesson learners can see, with its course, or Http404 (drafts cannot be completed)."""
    lesson = (
        Lesson.objects.select_related("course")
        .only("id", "slug", "title", "status", "course__slug", "course__is_published")
        .filter(
            course__slug=course_slug,
            course__is_published=True,
            slug=lesson_slug,
            status=Lesson.Status.PUBLISHED,
        )
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def lesson_page(*, course_slug: str, lesson_slug: str, user) -> LessonPage:
    lesson = visible_lesson(course_slug=course_slug, lesson_slug=lesson_slug, user=user)
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
    siblings = list(siblings.order_by("order", "id"))
    for sibling in siblings:
        sibling.course = lesson.course  # so their URLs need no query
    published = [s for s in siblings if s.is_published]
    visible = siblings if can_preview_drafts(user, Lesson) else published
    index = next(i for i, sibling in enumerate(visible) if sibling.pk == lesson.pk)
    this = visible[index]
    return LessonPage(
        lesson=lesson,
        previous=visible[index - 1] if index > 0 else None,
        next=visible[index + 1] if index + 1 < len(visible) else None,
        position=index + 1,
        visible_count=len(visible),
        published_count=len(published),
        done_count=sum(1 for s in published if getattr(s, "completed_at", None)),
        completed_at=getattr(this, "completed_at", None),
    )
