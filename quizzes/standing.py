"""A quiz's course standing, read with the quiz: what the success panel of a pass needs.

A passed quiz is acknowledged with where the learner stands in its course and the step
``lessons.next_step`` suggests. The submission's POST answers with htmx (the result in place)
or without (a redirect), and both must cost the same queries, so the facts are not read
after grading: ``with_course_standing`` annotates the query that fetches the quiz anyway
(counts of the course's lessons and of its other quizzes, done or passed by the learner, the
first of each not done, and the next track), and ``pass_progress`` turns them into a
``Progress``, adding the attempt just graded. What "passed" and "complete" mean stays with
``courses.completion``.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from courses.completion import Standing, is_quiz_passed
from courses.models import Course
from lessons.assessments import OutlineEntry
from lessons.catalog import next_track, next_track_fields
from lessons.models import Lesson, LessonCompletion
from lessons.next_step import Progress

from .models import Attempt, Quiz


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("course").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_course_standing(quizzes: QuerySet[Quiz], *, user) -> QuerySet[Quiz]:
    """``quizzes`` annotated with their course's standing for ``user``: no query of its own."""
    course = OuterRef("course_id")
    lessons = Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED)
    done = Exists(LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk")))
    # filter(~...) rather than exclude(), which would lose the outer references.
    others = Quiz.objects.filter(~Q(pk=OuterRef("pk")), course=course, is_published=True)
    passed = Exists(
        Attempt.objects.filter(
            user=user, quiz=OuterRef("pk"), passed=True, submitted_at__isnull=False
        )
    )
    undone = lessons.filter(~done).order_by("order", "id")
    unpassed = others.filter(~passed).order_by("order", "pk")
    return quizzes.annotate(
        course_lessons=_count(lessons),
        course_lessons_done=_count(lessons.filter(done)),
        course_other_quizzes=_count(others),
        course_other_passed=_count(others.filter(passed)),
        next_lesson_slug=Subquery(undone.values("slug")[:1]),
        next_lesson_title=Subquery(undone.values("title")[:1]),
        quiz_left_slug=Subquery(unpassed.values("slug")[:1]),
        quiz_left_title=Subquery(unpassed.values("title")[:1]),
        **next_track_fields(user, course_id=course),
    )


def pass_progress(quiz: Quiz, *, passed: bool) -> Progress | None:
    """The course standing ``with_course_standing`` read, with this quiz ``passed`` (by the
    attempt just graded or an earlier one); None when the quiz was fetched without it."""
    if not hasattr(quiz, "course_lessons"):
        return None
    course: Course = quiz.course
    standing = Standing(
        lessons_done=quiz.course_lessons_done,
        lessons_total=quiz.course_lessons,
        quizzes_passed=quiz.course_other_passed + (1 if is_quiz_passed(int(passed)) else 0),
        quizzes_total=quiz.course_other_quizzes + 1,
    )
    next_lesson = None
    if quiz.next_lesson_slug:
        next_lesson = Lesson(
            slug=quiz.next_lesson_slug, title=quiz.next_lesson_title, course=course
        )
    quiz_left = None
    if not passed:
        quiz_left = OutlineEntry(title=quiz.title, url=quiz.get_absolute_url())
    elif quiz.quiz_left_slug:
        left = Quiz(slug=quiz.quiz_left_slug, title=quiz.quiz_left_title)
        quiz_left = OutlineEntry(title=left.title, url=left.get_absolute_url())
    return Progress(
        course=course,
        standing=standing,
        next_lesson=next_lesson,
        quiz_left=quiz_left,
        next_course=next_track(quiz) if standing.complete else None,
    )
