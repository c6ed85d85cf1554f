"""Small builders for courses and lessons, shared by the courses and lessons tests."""

from itertools import count

from courses.models import Course
from lessons.models import Lesson

_numbers = count(1)


def make_course(**fields) -> Course:
    number = next(_numbers)
    fields.setdefault("slug", f"course-{number}")
    fields.setdefault("title", f"Course {number}")
    fields.setdefault("summary", f"Summary of course {number}.")
    fields.setdefault("order", number)
    fields.setdefault("is_published", True)
    return Course.objects.create(**fields)


def make_lesson(course: Course, **fields) -> Lesson:
    number = next(_numbers)
    fields.setdefault("slug", f"lesson-{number}")
    fields.setdefault("title", f"Lesson {number}")
    fields.setdefault("order", number)
    fields.setdefault("body", f"Body of lesson {number}.")
    fields.setdefault("status", Lesson.Status.PUBLISHED)
    fields.setdefault("estimated_minutes", 5)
    return Lesson.objects.create(course=course, **fields)


def make_lessons(course: Course, n: int, **fields) -> list[Lesson]:
    return [make_lesson(course, order=i + 1, **fields) for i in range(n)]
