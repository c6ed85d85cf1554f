"""Progress of learners in courses, read with aggregate queries: the counts behind the rules.

Everything that reports progress (the learner dashboard, the team dashboard and its CSV) goes
through ``course_progress``; what the counts mean (a done lesson, a passed quiz, the rounded
percentage, a complete course) is ``courses.completion``, which the catalog, the course
overview and the lesson page use too, so every page shows the same figure. For one learner in
one course:

- ``lessons_completed`` / ``lessons_total`` count published lessons only; drafts are ignored.
- ``quizzes_passed`` / ``quizzes_total`` count published quizzes.
- ``quiz_best_percent`` is the mean, over the published quizzes the learner has submitted,
  of their best percent on each; None before the first submission.
- ``last_activity`` is the latest of enrolling, last opening a lesson, completing a lesson
  and submitting a quiz in that course.

``course_progress`` runs three queries whatever the number of people and courses
(tests/progress/test_queries.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from certificates.models import Certificate
from core.json_lists import json_list, json_rows
from courses.completion import Standing, is_quiz_passed
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from quizzes.models import Attempt, Quiz

PUBLISHED = Lesson.Status.PUBLISHED


@dataclass(frozen=True)
class QuizResult:
    """A learner's best submitted result on one published quiz, and whether it is passed."""

    quiz_id: int
    best_percent: int
    passed: bool


@dataclass
class CourseProgress:
    """Progress of one learner in one course: the counts behind ``standing`` (whose rules,
    in ``courses.completion``, give the percentage and completion) and the activity."""

    user_id: int
    course: Course
    lessons_completed: int = 0
    enrolled: bool = False
    quiz_results: dict[int, QuizResult] = field(default_factory=dict)
    activity: list[datetime.datetime] = field(default_factory=list)
    # The code of the learner's certificate for the course, if they hold one (not revoked).
    certificate_code: str | None = None

    @property
    def lessons_total(self) -> int:
        return self.course.lessons_total

    @property
    def quizzes_total(self) -> int:
        return self.course.quizzes_total

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for result in self.quiz_results.values() if result.passed)

    @property
    def standing(self) -> Standing:
        return Standing(
            lessons_done=self.lessons_completed,
            lessons_total=self.lessons_total,
            quizzes_passed=self.quizzes_passed,
            quizzes_total=self.quizzes_total,
        )

    @property
    def percent(self) -> int:
        return self.standing.percent

    @property
    def complete(self) -> bool:
        return self.standing.complete

    @property
    def quiz_best_percent(self) -> int | None:
        if not self.quiz_results:
            return None
        bests = [result.best_percent for result in self.quiz_results.values()]
        return round(sum(bests) / len(bests))

    @property
    def started(self) -> bool:
        return self.enrolled or self.lessons_completed > 0 or bool(self.quiz_results)

    @property
    def last_activity(self) -> datetime.datetime | None:
        return max(self.activity, default=None)


def _count(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (filtered by OuterRef) as a subquery, 0 when none."""
    counted = queryset.order_by().values("course").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_totals(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Annotate ``lessons_total`` and ``quizzes_total``: the course's published lessons and quizzes."""
    return courses.annotate(
        lessons_total=_count(Lesson.objects.filter(course=OuterRef("pk"), status=PUBLISHED)),
        quizzes_total=_count(Quiz.objects.filter(course=OuterRef("pk"), is_published=True)),
    )


def with_quiz_list(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Annotate ``quiz_list``: the course's published quizzes (id, slug, title, order, pass
    mark), read with ``published_quizzes``."""
    quizzes = Quiz.objects.filter(course=OuterRef("pk"), is_published=True)
    return courses.annotate(
        quiz_list=json_list(
            quizzes, group_by="course", id="pk", slug="slug", title="title", order="order",
            pass_percent="pass_percent",  # noqa: S106 - a column, not a password
        )  # fmt: skip
    )


def published_quizzes(course: Course) -> list[Quiz]:
    """The quizzes ``with_quiz_list`` annotated on ``course`` (no query), with their course."""
    return [
        Quiz(pk=row["id"], slug=row["slug"], title=row["title"], course=course, is_published=True,
             pass_percent=row["pass_percent"])  # fmt: skip
        for row in json_rows(course.quiz_list)
    ]


def course_progress(
    *, user_ids: Sequence[int], courses: Sequence[Course]
) -> dict[tuple[int, int], CourseProgress]:
    """Progress of every user in every course, keyed by (user id, course id).

    ``courses`` must come from ``with_totals``. Three aggregate queries, whatever the numbers;
    the certificates held come with the enrolments.
    """
    course_ids = [course.pk for course in courses]
    table = {
        (user_id, course.pk): CourseProgress(user_id=user_id, course=course)
        for user_id in user_ids
        for course in courses
    }
    completions = (
        LessonCompletion.objects.filter(
            user_id__in=user_ids, lesson__course_id__in=course_ids, lesson__status=PUBLISHED
        )
        .values("user_id", "lesson__course_id")
        .annotate(done=Count("pk"), last=Max("completed_at"))
        .order_by()
    )
    for row in completions:
        progress = table[(row["user_id"], row["lesson__course_id"])]
        progress.lessons_completed = row["done"]
        progress.activity.append(row["last"])
    attempts = (
        Attempt.objects.filter(
            user_id__in=user_ids,
            quiz__course_id__in=course_ids,
            quiz__is_published=True,
            submitted_at__isnull=False,
        )
        .values("user_id", "quiz__course_id", "quiz_id")
        .annotate(
            best=Max("percent"),
            passes=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
        .order_by()
    )
    for row in attempts:
        progress = table[(row["user_id"], row["quiz__course_id"])]
        progress.quiz_results[row["quiz_id"]] = QuizResult(
            quiz_id=row["quiz_id"],
            best_percent=row["best"],
            passed=is_quiz_passed(row["passes"]),
        )
        progress.activity.append(row["last"])
    # Certificates ride on the enrolments (whoever earned one opened the course): no query more.
    held = Certificate.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), revoked_at__isnull=True
    ).values("code")[:1]
    enrollments = (
        Enrollment.objects.filter(user_id__in=user_ids, course_id__in=course_ids)
        .annotate(certificate_code=Subquery(held))
        .values("user_id", "course_id", "enrolled_at", "last_seen_at", "certificate_code")
    )
    for row in enrollments:
        progress = table[(row["user_id"], row["course_id"])]
        progress.enrolled = True
        progress.certificate_code = row["certificate_code"]
        progress.activity.extend(
            moment for moment in (row["enrolled_at"], row["last_seen_at"]) if moment
        )
    return table
