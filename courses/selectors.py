"""Reads for the catalog and the course overview, each a fixed, small number of queries.

``courses`` sits below ``lessons`` and does not import it: lessons are reached through the
``Course.lessons`` relation, and the Lesson model through that relation's metadata.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404

from .models import Course, Enrollment


def _lesson_model():
    return Course._meta.get_field("lessons").related_model


def _published() -> str:
    return _lesson_model().Status.PUBLISHED


def can_preview(user) -> bool:
    """Staff see unpublished courses and draft lessons; learners do not."""
    return bool(user.is_active and user.is_staff)


@dataclass
class CatalogEntry:
    """One track on the catalog, with this visitor's progress in it."""

    course: Course
    lesson_count: int
    minutes: int
    done: int = 0
    resume_lesson: object = None  # the Lesson to continue from, when the learner started
    first_lesson_slug: str | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.lesson_count) if self.lesson_count else 0

    @property
    def is_finished(self) -> bool:
        return self.lesson_count > 0 and self.done >= self.lesson_count


def catalog(*, user) -> list[CatalogEntry]:
    """The published tracks in order, with lesson counts, minutes and the learner's progress."""
    published = _published()
    Lesson = _lesson_model()
    in_catalog = Q(lessons__status=published)
    courses = (
        Course.objects.filter(is_published=True)
        .defer("description", "description_html")
        .annotate(
            lesson_count=Count("lessons", filter=in_catalog),
            minutes=Sum("lessons__estimated_minutes", filter=in_catalog, default=0),
            first_lesson_slug=Subquery(
                Lesson.objects.filter(course=OuterRef("pk"), status=published)
                .order_by("order", "id")
                .values("slug")[:1]
            ),
        )
        .order_by("order", "title")  # Meta.ordering is ignored in GROUP BY queries
    )
    entries = {
        course.pk: CatalogEntry(
            course=course,
            lesson_count=course.lesson_count,
            minutes=course.minutes,
            first_lesson_slug=course.first_lesson_slug,
        )
        for course in courses
    }
    if user.is_authenticated and entries:
        done = (
            user.lesson_completions.filter(lesson__status=published, lesson__course__in=entries)
            .values("lesson__course")
            .annotate(count=Count("id"))
        )
        for row in done:
            entries[row["lesson__course"]].done = row["count"]
        enrollments = Enrollment.objects.filter(
            user=user, course__in=entries, last_lesson__status=published
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
    lessons: list  # Lesson objects, each with .is_done
    resume_lesson: object = None
    published: list = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.published if lesson.is_done)

    @property
    def left(self) -> list:
        return [lesson for lesson in self.published if not lesson.is_done]

    @property
    def minutes(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.published)

    @property
    def minutes_left(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.left)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.published)) if self.published else 0

    @property
    def start_lesson(self):
        return self.published[0] if self.published else None

    @property
    def is_preview(self) -> bool:
        return not self.course.is_published


def course_overview(*, course_slug: str, user) -> Overview:
    """The course and its lessons, or Http404 when this visitor may not see it."""
    course = Course.objects.filter(slug=course_slug).first()
    if course is None or not (course.is_published or can_preview(user)):
        raise Http404("No such course.")
    published = _published()
    lessons = course.lessons.only(
        "id", "slug", "title", "order", "status", "estimated_minutes", "course_id"
    ).order_by("order", "id")
    if not can_preview(user):
        lessons = lessons.filter(status=published)
    if user.is_authenticated:
        lessons = lessons.annotate(
            is_done=Exists(user.lesson_completions.filter(lesson=OuterRef("pk")))
        )
    lessons = list(lessons)
    for lesson in lessons:
        lesson.course = course
        if not user.is_authenticated:
            lesson.is_done = False
    overview = Overview(
        course=course, lessons=lessons, published=[x for x in lessons if x.is_published]
    )
    if user.is_authenticated:
        last_lesson_id = (
            Enrollment.objects.filter(user=user, course=course)
            .values_list("last_lesson_id", flat=True)
            .first()
        )
        overview.resume_lesson = next(
            (x for x in overview.published if x.pk == last_lesson_id), None
        )
    return overview
