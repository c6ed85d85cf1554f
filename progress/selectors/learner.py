"""What /progress/ shows a learner: their courses (with their teams' due dates), quizzes,
matrix predictions and activity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from accounts.models import Membership, Team
from accounts.selectors import due_on_for
from certificates.models import Certificate
from core.kept_queries import KeptQuery
from courses.models import Course, Enrollment
from lessons.catalog import DueStatus
from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixPrediction
from matrix.predictions import ConditionAccuracy
from practice.models import BlockAnswer, BlockPlacement
from quizzes.models import Attempt, Quiz

from .course_progress import (
    PUBLISHED,
    CourseProgress,
    QuizResult,
    course_progress,
    published_quizzes,
    with_quiz_list,
    with_totals,
)
from .mastery import CourseMastery, learner_mastery

# The learner's activity chart covers this many weeks, this week included.
ACTIVITY_WEEKS = 12


@dataclass
class CourseCard:
    """One started course on the learner's dashboard."""

    course: Course
    progress: CourseProgress
    quizzes: list[tuple[Quiz, QuizResult | None]]
    mastery: CourseMastery | None = None  # None: the course has no objectives


@dataclass(frozen=True)
class MatrixAccuracy:
    """How many of a matrix's cells the learner predicted right at the first try, and their
    accuracy per condition across all their tries."""

    title: str
    slug: str
    predicted: int
    right: int
    conditions: tuple[ConditionAccuracy, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.predicted) if self.predicted else 0


@dataclass
class LearnerDashboard:
    cards: list[CourseCard]
    assigned: list[Course]
    memberships: list[Membership]
    matrices: list[MatrixAccuracy]
    weeks: list[tuple[datetime.date, int]]
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def has_activity(self) -> bool:
        return any(count for _, count in self.weeks)

    @property
    def mastery_cards(self) -> list[CourseCard]:
        return [card for card in self.cards if card.mastery is not None]


def _placed_blocks(*, answered_by=None) -> Coalesce:
    """Subquery: the inline checks and predict blocks the course's published lessons embed
    (those ``answered_by`` has answered at least once, when given), each counted once."""
    placed = BlockPlacement.objects.filter(
        lesson__course=OuterRef("pk"), lesson__status=PUBLISHED
    )
    if answered_by is not None:
        placed = placed.filter(
            Exists(BlockAnswer.objects.filter(block=OuterRef("block"), user=answered_by))
        )
    counted = (
        placed.order_by()
        .values("lesson__course")
        .annotate(n=Count("block", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def learner_courses(user) -> QuerySet[Course]:
    """Published courses the user (or user id) has started or a team of theirs is assigned, with totals,
    the checks answered (``checks_answered`` of ``checks_total``), the next published
    lesson they have not completed (``next_lesson_slug``/``_title``) and their due date
    (``due_on``, from ``accounts.selectors``; None when no team of theirs set one)."""
    lessons = Lesson.objects.filter(course=OuterRef("pk"), status=PUBLISHED)
    unfinished = lessons.filter(
        ~Exists(LessonCompletion.objects.filter(lesson=OuterRef("pk"), user=user))
    ).order_by("order", "pk")
    started = Q(
        Exists(Enrollment.objects.filter(course=OuterRef("pk"), user=user))
        | Exists(LessonCompletion.objects.filter(lesson__course=OuterRef("pk"), user=user))
        | Exists(
            Attempt.objects.filter(quiz__course=OuterRef("pk"), user=user, submitted_at__isnull=False)
        )
    )
    assigned = Exists(
        Team.courses.through.objects.filter(course_id=OuterRef("pk"), team__memberships__user=user)
    )
    # The learner's certificate of the course, folded in here rather than read on its own:
    # /progress/ is at the learner pages' query ceiling (benchmarks/budgets.py).
    held = Certificate.objects.filter(user=user, course=OuterRef("pk"))
    return (
        with_quiz_list(with_totals(Course.objects.filter(is_published=True)))
        .annotate(
            is_started=started,
            is_assigned=assigned,
            next_lesson_slug=Subquery(unfinished.values("slug")[:1]),
            next_lesson_title=Subquery(unfinished.values("title")[:1]),
            checks_total=_placed_blocks(),
            checks_answered=_placed_blocks(answered_by=user),
            due_on=due_on_for(user),
            **{
                f"certificate_{name}": Subquery(held.values(name)[:1])
                for name in ("code", "course_title", "issued_at", "revoked_at")
            },
        )
        .filter(Q(is_started=True) | Q(is_assigned=True))
        .order_by("order", "title")
    )


# The courses query, built and compiled once (core.kept_queries): building it took a quarter of
# the page's CPU, running it almost none.
_learner_courses = KeptQuery(learner_courses)


def _certificates(courses) -> list[Certificate]:
    """The certificates the courses query read with the courses, newest first (those of a
    course since unpublished are not listed; their pages still verify)."""
    held = [
        Certificate(
            code=course.certificate_code,
            course_title=course.certificate_course_title,
            issued_at=course.certificate_issued_at,
            revoked_at=course.certificate_revoked_at,
        )
        for course in courses
        if course.certificate_code
    ]
    return sorted(held, key=lambda certificate: certificate.issued_at, reverse=True)


def week_start(moment: datetime.datetime | datetime.date) -> datetime.date:
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    return day - datetime.timedelta(days=day.weekday())


def weekly_completions(*, user, now: datetime.datetime | None = None) -> list[tuple[datetime.date, int]]:
    """Published lessons the user completed in each of the last ACTIVITY_WEEKS weeks (Mondays)."""
    this_week = week_start(timezone.localtime(now or timezone.now()))
    first = this_week - datetime.timedelta(weeks=ACTIVITY_WEEKS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        LessonCompletion.objects.filter(
            user=user, completed_at__gte=since, lesson__status=PUBLISHED
        )
        .annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    counts = {week_start(row["week"]): row["n"] for row in rows}
    weeks = [first + datetime.timedelta(weeks=i) for i in range(ACTIVITY_WEEKS)]
    return [(week, counts.get(week, 0)) for week in weeks]


def learner_dashboard(*, user, now: datetime.datetime | None = None) -> LearnerDashboard:
    """Everything /progress/ shows, in a fixed number of queries: the courses (with their
    quizzes and due dates folded in), three progress aggregates, mastery, memberships,
    matrices, activity. Each course gets ``due`` (a ``DueStatus``, or None without a date)."""
    now = now or timezone.now()
    courses = _learner_courses.objects(user.pk)
    started = [course for course in courses if course.is_started]
    progress = course_progress(user_ids=[user.pk], courses=started)
    mastery = learner_mastery(user=user, course_ids=[c.pk for c in started])
    cards = []
    for course in started:
        course_progress_ = progress[(user.pk, course.pk)]
        course.due = DueStatus.of(course.due_on, complete=course_progress_.complete, now=now)
        results = course_progress_.quiz_results
        cards.append(
            CourseCard(
                course=course,
                progress=course_progress_,
                quizzes=[(quiz, results.get(quiz.pk)) for quiz in published_quizzes(course)],
                mastery=mastery.get(course.pk),
            )
        )
    assigned = [course for course in courses if not course.is_started]
    for course in assigned:
        course.due = DueStatus.of(course.due_on, complete=False, now=now)
    return LearnerDashboard(
        cards=cards,
        assigned=assigned,
        memberships=list(user.memberships.select_related("team").order_by("team__name")),
        matrices=matrix_accuracy(user=user),
        weeks=weekly_completions(user=user, now=now),
        certificates=_certificates(courses),
    )


def matrix_accuracy(*, user) -> list[MatrixAccuracy]:
    """Per published matrix, the learner's first-try results and their accuracy per condition
    across all tries, in one query (grouped by matrix and row)."""
    matrix = "cell__row__matrix"
    rows = (
        MatrixPrediction.objects.filter(user=user, cell__row__matrix__is_published=True)
        .values(f"{matrix}_id", f"{matrix}__title", f"{matrix}__slug", "cell__row_id", "cell__row__label")
        .annotate(
            total=Count("pk"),
            right=Count("pk", filter=Q(is_correct=True)),
            first=Count("pk", filter=Q(is_first=True)),
            first_right=Count("pk", filter=Q(is_first=True, is_correct=True)),
        )
        .order_by(f"{matrix}__title", f"{matrix}_id", "cell__row__order", "cell__row_id")
    )
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[f"{matrix}_id"], []).append(row)
    return [
        MatrixAccuracy(
            title=group[0][f"{matrix}__title"],
            slug=group[0][f"{matrix}__slug"],
            predicted=sum(row["first"] for row in group),
            right=sum(row["first_right"] for row in group),
            conditions=tuple(
                ConditionAccuracy(label=row["cell__row__label"], right=row["right"], total=row["total"])
                for row in group
            ),
        )
        for group in grouped.values()
    ]
