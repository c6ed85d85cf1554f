"""The quizzes' answers to ``lessons.assessments``: tallies and the quiz sections of pages.

Registered in ``QuizzesConfig.ready``. Each method is one query, whatever the number of
quizzes or attempts. What "passed" means is ``courses.completion``'s rule: a published quiz
with any submitted attempt that passed.
"""

from collections.abc import Sequence
from dataclasses import replace

from django.db.models import Count, Q

from courses.activity import questions_asked
from lessons.assessments import OutlineEntry, Panel, Requirement, Tally

from .models import Quiz
from .selectors import QuizStatus, quiz_statuses

QUIZ_LIST = "quizzes/includes/quiz_list.html"
STATUSES = "_quiz_statuses"  # where a course instance keeps the statuses read for its outline


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def _panel(*, user, statuses: list[QuizStatus], heading: str, heading_id: str) -> Panel:
    return Panel(
        template=QUIZ_LIST,
        context={
            "statuses": statuses,
            "signed_in": _signed_in(user),
            "heading": heading,
            "heading_id": heading_id,
        },
        tally=Tally(passed=sum(1 for status in statuses if status.passed), total=len(statuses)),
    )


class QuizAssessments:
    """Published quizzes, passed once any submitted attempt passed."""

    # Given the request on the lesson page, the course's quizzes come from the shared cache
    # (``quiz_statuses(request=...)``).
    wants_request = True

    def tallies(self, *, user, course_ids: Sequence[int]) -> dict[int, Tally]:
        rows = (
            Quiz.objects.filter(course_id__in=course_ids, is_published=True)
            .order_by()
            .values("course_id")
            .annotate(total=Count("pk", distinct=True))
        )
        if _signed_in(user):
            passing = Q(
                attempts__user=user, attempts__passed=True, attempts__submitted_at__isnull=False
            )
            rows = rows.annotate(passed=Count("pk", distinct=True, filter=passing))
        return {
            row["course_id"]: Tally(passed=row.get("passed", 0), total=row["total"]) for row in rows
        }

    def course_panel(self, *, user, course) -> Panel | None:
        statuses = quiz_statuses(user=user, course=course)
        panel = _panel(
            user=user, statuses=statuses, heading="Quizzes", heading_id=f"quizzes-{course.slug}"
        )
        # Every published quiz must be passed, each at its own mark (courses.completion).
        requirements = tuple(
            Requirement(
                title=status.quiz.title,
                pass_percent=status.quiz.pass_percent,
                questions=questions_asked(
                    question_count=status.question_count, draw_count=status.quiz.draw_count
                ),
            )
            for status in statuses
        )
        return replace(panel, requirements=requirements)

    def outline(self, *, user, course, request=None) -> list[OutlineEntry]:
        """The course's published quizzes for the lesson page's outline, each after its lesson."""
        return [
            OutlineEntry(
                title=status.quiz.title,
                url=status.quiz.get_absolute_url(),
                passed=status.passed,
                after_lesson_id=status.quiz.lesson_id,
            )
            for status in self._course_statuses(user=user, course=course, request=request)
        ]

    def _course_statuses(self, *, user, course, request=None) -> list[QuizStatus]:
        """The course's quiz statuses, read once per course instance: a lesson page asks for
        the outline and then for the lesson's panel, and the second reuses the first's query
        (the instance lives for one request; ``STATUSES`` never outlives it)."""
        cached = getattr(course, STATUSES, None)
        if cached is None or cached[0] != getattr(user, "pk", None):
            statuses = quiz_statuses(user=user, course=course, request=request)
            cached = (getattr(user, "pk", None), statuses)
            setattr(course, STATUSES, cached)
        return cached[1]

    def lesson_panel(self, *, user, lesson, request=None) -> Panel | None:
        if hasattr(lesson.course, STATUSES):  # the outline read the course's quizzes already
            statuses = [
                status
                for status in self._course_statuses(user=user, course=lesson.course)
                if status.quiz.lesson_id == lesson.pk
            ]
        else:
            statuses = quiz_statuses(user=user, lesson=lesson)
        if not statuses:
            return None
        return _panel(
            user=user,
            statuses=statuses,
            heading="Check your understanding",
            heading_id=f"lesson-quizzes-{lesson.pk}",
        )
