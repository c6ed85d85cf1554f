"""Writes that record a learner's progress: visiting a lesson and completing it.

Both are safe to repeat and to race: a second tab or a double click never makes a second row.
A plain lesson view writes only when the resume point moves, or at most every few minutes.
"""

import functools
from functools import partial

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from courses.models import Course, Enrollment

from .models import Lesson, LessonCompletion

# A visit to the lesson recorded last is recorded again at most this often (seconds): its
# ``last_seen_at`` feeds "inactive for two weeks", where minutes do not matter.
RECORD_VISIT_EVERY = 5 * 60


def record_visit(*, user, course_slug: str, lesson_slug: str) -> None:
    """Remember the published lesson ``lesson_slug`` of the published course ``course_slug`` as
    the place to resume that course, enrolling the learner if needed. Drafts and unknown slugs
    record nothing. Only the URL's slugs are needed, so the lesson view records the visit
    before asking the learner's page cache for the page (config/personal_pages.py).

    Not on every view: no query at all when this same visit was recorded less than
    ``RECORD_VISIT_EVERY`` ago (remembered in the cache, shared by the workers); otherwise one
    statement that finds the lesson and upserts (the first visit creates the Enrollment, later
    ones move ``last_lesson`` and ``last_seen_at``). A move to another lesson is written at
    once, so the resume point is always right; only ``last_seen_at`` lags, by at most the
    interval.
    """
    key = visit_key(user.pk)
    visit = (course_slug, lesson_slug)
    if cache.get(key) == visit:
        return
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_upsert_visit_sql(), [
            user.pk, now, now, course_slug, True, lesson_slug, Lesson.Status.PUBLISHED.value,
        ])  # fmt: skip
        written = cursor.rowcount
    if written:
        # Remembered once the write is kept: a rolled back one is made again by the next view.
        transaction.on_commit(partial(cache.set, key, visit, RECORD_VISIT_EVERY))


@functools.cache
def _upsert_visit_sql() -> str:
    """INSERT ... SELECT ... ON CONFLICT DO UPDATE, which SQLite (3.24+) and PostgreSQL share:
    the lesson is found and the enrolment written in one statement (the ORM would take two)."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    enrolment, lesson, course = (quote(m._meta.db_table) for m in (Enrollment, Lesson, Course))
    user_id, course_id = column(Enrollment, "user"), column(Enrollment, "course")
    last_lesson, last_seen = column(Enrollment, "last_lesson"), column(Enrollment, "last_seen_at")
    # Names from the models' metadata, quoted; the values are parameters. The WHERE clause
    # also keeps SQLite from reading ON CONFLICT as part of the join.
    return (
        f"INSERT INTO {enrolment} ({user_id}, {course_id}, {last_lesson}, {last_seen}, "  # noqa: S608
        f"{column(Enrollment, 'enrolled_at')}) "
        f"SELECT %s, l.{column(Lesson, 'course')}, l.{column(Lesson, 'id')}, %s, %s "
        f"FROM {lesson} l INNER JOIN {course} c ON c.{column(Course, 'id')} = l.{column(Lesson, 'course')} "
        f"WHERE c.{column(Course, 'slug')} = %s AND c.{column(Course, 'is_published')} = %s "
        f"AND l.{column(Lesson, 'slug')} = %s AND l.{column(Lesson, 'status')} = %s "
        f"ON CONFLICT ({user_id}, {course_id}) DO UPDATE SET "
        f"{last_lesson} = excluded.{last_lesson}, {last_seen} = excluded.{last_seen}"
    )


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
