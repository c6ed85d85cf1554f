"""Writes that record a learner's progress: visiting a lesson and completing it.

Both are safe to repeat and to race: a second tab or a double click never makes a second row.
A plain lesson view writes only when the resume point moves, or at most every few minutes.
"""

from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from courses.models import Enrollment

from .models import Lesson, LessonCompletion

# A visit to the lesson recorded last is recorded again at most this often (seconds): its
# ``last_seen_at`` feeds "inactive for two weeks", where minutes do not matter.
RECORD_VISIT_EVERY = 5 * 60


def record_visit(*, user, course_slug: str, lesson_slug: str, lesson: Lesson | None = None) -> None:
    """Remember the published lesson ``lesson_slug`` of the published course ``course_slug`` as
    the place to resume that course, enrolling the learner if needed. Drafts and unknown slugs
    record nothing (the caller may have only the URL's slugs: a page from the page cache);
    ``lesson``, when the caller has read that published lesson already, saves reading it.

    Not on every view: no query at all when this same visit was recorded less than
    ``RECORD_VISIT_EVERY`` ago (remembered in the cache, shared by the workers); otherwise two,
    the lesson and one upsert (the first visit creates the Enrollment, later ones move
    ``last_lesson`` and ``last_seen_at``). A move to another lesson is written at once, so the
    resume point is always right; only ``last_seen_at`` lags, by at most the interval.
    """
    key = visit_key(user.pk)
    visit = (course_slug, lesson_slug)
    if cache.get(key) == visit:
        return
    lesson = lesson or (
        Lesson.objects.filter(
            course__slug=course_slug, course__is_published=True,
            slug=lesson_slug, status=Lesson.Status.PUBLISHED,
        )  # fmt: skip
        .only("pk", "course_id")
        .first()
    )
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
    # Remembered once the write is kept: a rolled back one is made again by the next view.
    transaction.on_commit(partial(cache.set, key, visit, RECORD_VISIT_EVERY))


def visit_key(user_id: int) -> str:
    """The cache key of ``user_id``'s last recorded visit, ``(course slug, lesson slug)``.

    One key per person, not per course, so that whatever deletes Enrollments forgets it by the
    user id alone (``forget_visits``), without reading the course's slug: the cost is a write
    on each view for someone going back and forth between two courses, no more than before."""
    return f"lessons:visit:{user_id}"


def forget_visits(sender, instance, **kwargs) -> None:
    """``post_delete`` of an Enrollment (the admin, a deleted account or course): the learner's
    next view must create it again, not be taken for one recorded moments ago."""
    cache.delete(visit_key(instance.user_id))


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
