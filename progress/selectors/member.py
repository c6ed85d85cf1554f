"""One member of a team as their managers see them: per assigned course their standing, due
date, lessons with dates, quiz attempts, checks answered and mastery per objective, and what
needs attention. Nine queries whatever their activity (tests/progress/test_member_page.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Membership, Team
from courses.deadlines import days_left, is_due_soon, is_overdue
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from practice.models import BlockAnswer, BlockPlacement
from quizzes.models import Attempt, Quiz

from ..attention import Reason
from ..phrasing import member_notes
from .attention import concerns_by_member
from .course_progress import PUBLISHED, CourseProgress, course_progress, published_quizzes
from .dashboard import Note
from .mastery import ObjectiveLevel, team_mastery
from .team import TeamProgress, assigned_courses, course_lessons


@dataclass(frozen=True)
class LessonLine:
    """One published lesson: when the member completed it, and the checks it embeds that they
    answered (``first_right``: answered right at the first try)."""

    lesson: Lesson
    done_at: datetime.datetime | None
    checks: int = 0
    answered: int = 0
    first_right: int = 0


@dataclass
class MemberCourse:
    """One assigned course of the member, everything the page shows about it."""

    course: Course
    progress: CourseProgress
    now: datetime.datetime
    lessons: list[LessonLine] = field(default_factory=list)
    attempts: list[tuple[Quiz, list[Attempt]]] = field(default_factory=list)
    mastery: list[ObjectiveLevel] = field(default_factory=list)

    @property
    def due_on(self) -> datetime.date | None:
        return self.course.due_on

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_on, complete=self.progress.complete, now=self.now)

    @property
    def due_soon(self) -> bool:
        return is_due_soon(self.due_on, complete=self.progress.complete, now=self.now)

    @property
    def days_left(self) -> int | None:
        return None if self.due_on is None else days_left(self.due_on, now=self.now)

    @property
    def days_late(self) -> int | None:
        return None if self.days_left is None else -self.days_left

    @property
    def checks(self) -> int:
        return sum(line.checks for line in self.lessons)

    @property
    def checks_answered(self) -> int:
        return sum(line.answered for line in self.lessons)


@dataclass
class MemberDetail:
    team: Team
    membership: Membership
    courses: list[MemberCourse]
    notes: list[Note]

    @property
    def user(self):
        return self.membership.user


def _checks(*, user_id: int, course_ids: list[int]) -> dict[int, list[tuple[bool, bool]]]:
    """Per published lesson, (answered, right at the first try) for each block it embeds."""
    answers = BlockAnswer.objects.filter(user_id=user_id, block=OuterRef("block_id"))
    rows = (
        BlockPlacement.objects.filter(lesson__course_id__in=course_ids, lesson__status=PUBLISHED)
        .annotate(
            answered=Exists(answers),
            first_right=Exists(answers.filter(is_first=True, is_correct=True)),
        )
        .values_list("lesson_id", "answered", "first_right")
    )
    found = defaultdict(list)
    for lesson_id, answered, first_right in rows:
        found[lesson_id].append((answered, first_right))
    return found


def member_detail(*, team: Team, membership_id: int, now: datetime.datetime | None = None) -> MemberDetail | None:
    """The page of the team's member ``membership_id``, or None when it is not a member of
    ``team`` (a manager's membership, another team's, or none)."""
    now = now or timezone.now()
    membership = (
        Membership.objects.filter(pk=membership_id, team_id=team.pk, role=Membership.Role.MEMBER)
        .select_related("user__profile")
        .first()
    )
    if membership is None:
        return None
    user_id = membership.user_id
    courses = list(assigned_courses(team))
    course_ids = [course.pk for course in courses]
    progress = course_progress(user_ids=[user_id], courses=courses)
    done = dict(
        LessonCompletion.objects.filter(
            user_id=user_id, lesson__course_id__in=course_ids, lesson__status=PUBLISHED
        ).values_list("lesson_id", "completed_at")
    )
    attempts = defaultdict(list)
    for attempt in Attempt.objects.filter(
        user_id=user_id, quiz__course_id__in=course_ids, quiz__is_published=True,
        submitted_at__isnull=False,
    ).only("quiz_id", "score", "total", "percent", "passed", "submitted_at").order_by("-submitted_at", "-pk"):  # fmt: skip
        attempts[attempt.quiz_id].append(attempt)
    checks = _checks(user_id=user_id, course_ids=course_ids)
    mastery = team_mastery(user_ids=[user_id], course_ids=course_ids)

    detail_courses = []
    for course in courses:
        lines = []
        for lesson in course_lessons(course):
            placed = checks.get(lesson.pk, [])
            lines.append(LessonLine(
                lesson, done.get(lesson.pk), checks=len(placed),
                answered=sum(1 for answered, _ in placed if answered),
                first_right=sum(1 for _, right in placed if right),
            ))  # fmt: skip
        detail_courses.append(MemberCourse(
            course=course, progress=progress[(user_id, course.pk)], now=now, lessons=lines,
            attempts=[(quiz, attempts.get(quiz.pk, [])) for quiz in published_quizzes(course)],
            mastery=[ObjectiveLevel(item.objective, mastery.levels[(user_id, item.objective.pk)])
                     for item in mastery.objectives if item.objective.course_id == course.pk],
        ))  # fmt: skip

    data = TeamProgress(team=team, members=[membership], courses=courses, progress=progress)
    concerns = concerns_by_member(data=data, assignments=data.assignments(), now=now, mastery=mastery)[user_id]
    best = {
        concern.subject_id: progress[(user_id, concern.course_id)].quiz_results[concern.subject_id].best_percent
        for concern in concerns
        if concern.reason is Reason.FAILING_QUIZ
    }
    notes = member_notes(
        concerns,
        courses={course.pk: course.title for course in courses},
        quizzes={quiz.pk: (quiz.title, quiz.pass_percent) for c in courses for quiz in published_quizzes(c)},
        best=best,
        objectives={item.objective.pk: item.objective.text for item in mastery.objectives},
        today=timezone.localdate(now),
    )
    return MemberDetail(team=team, membership=membership, courses=detail_courses,
                        notes=[Note(reason, text) for reason, text in notes])  # fmt: skip
