"""Writes that record a learner's progress: visiting a lesson and completing it.

Both are safe to repeat and to race: a second tab or a double click never makes a second row.
"""

from django.db import transaction
from django.utils import timezone

from courses.models import Enrollment

from .models import Lesson, LessonCompletion


def record_visit(*, user, course_slug: str, lesson_slug: str) -> None:
    """Remember the lesson as the place to resume its course, enrolling the learner if needed;
    nothing for a draft or an unknown lesson.

    One upsert: the first visit creates the Enrollment, later ones move ``last_lesson``.
    """
    lesson = (
        Lesson.objects.filter(
            course__slug=course_slug, course__is_published=True, slug=lesson_slug,
            status=Lesson.Status.PUBLISHED,
        )
        .only("id", "course_id")
        .first()
    )  # fmt: skip
    if lesson is None:
        return
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=user,
                course_id=lesson.course_id,
                last_lesson=lesson,
                last_seen_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "course"],
        update_fields=["last_lesson", "last_seen_at"],
    )


def complete_lesson(*, user, lesson: Lesson) -> tuple[LessonCompletion, bool]:
    """Record that ``user`` completed ``lesson``; return the completion and whether it is new.

    Idempotent: completing again returns the first completion. Completing a course's first
    lesson also enrols the learner in it.
    """
    with transaction.atomic():
        # get_or_create catches the IntegrityError of a concurrent insert and reads that row.
        completion, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
        if created:
            Enrollment.objects.bulk_create(
                [Enrollment(user=user, course_id=lesson.course_id, last_lesson=lesson)],
                ignore_conflicts=True,
            )
    return completion, created


def complete_lessons(*, user, lessons: list[Lesson]) -> None:
    """Record that ``user`` completed each of ``lessons`` (of one or more courses), in two
    queries whatever their number: for writes that follow from something else (answering a
    lesson's last block), where nobody needs to know which completions are new.

    Idempotent and safe to race, like ``complete_lesson``; enrols the learner where needed.
    """
    if not lessons:
        return
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(user=user, lesson=lesson) for lesson in lessons], ignore_conflicts=True
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(user=user, course_id=course_id, last_lesson=lesson)
            for course_id, lesson in {lesson.course_id: lesson for lesson in lessons}.items()
        ],
        ignore_conflicts=True,
    )
