"""One definition of progress, read with aggregate queries.

Everything that reports progress (the learner dashboard, the team dashboard and its CSV) goes
through ``course_progress``, so they always agree. For one learner in one course:

- ``lessons_completed`` / ``lessons_total`` count published lessons only; drafts are ignored.
- ``percent`` is the whole percentage of those lessons completed, rounded down, so 100 means
  every lesson is done.
- ``quizzes_passed`` / ``quizzes_total`` count published quizzes; a quiz is passed when any
  submitted attempt passed it.
- ``quiz_best_percent`` is the mean, over the published quizzes the learner has submitted,
  of their best percent on each; None before the first submission.
- ``complete``: the course has something published, every published lesson is completed and
  every published quiz passed.
- ``last_activity`` is the latest of enrolling, last opening a lesson, completing a lesson
  and submitting a quiz in that course.

Each function here runs a fixed number of queries whatever the number of people: the team
dashboard's cost does not grow with the team (tests/progress/test_queries.py).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from accounts.models import Membership, Team
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixCell, MatrixPrediction
from quizzes.models import Attempt, Choice, Question, Quiz, Response

from .item_analysis import Answer, ItemStats, analyse_quiz

PUBLISHED = Lesson.Status.PUBLISHED
# A member is "stuck" with an unfinished course and nothing done for this long.
STUCK_AFTER_DAYS = 14
# The team dashboard's per-member parts (the heatmap and its table) show this many members a
# page; the team-level figures cover every member.
MEMBERS_PER_PAGE = 50
# The team-level aggregates (funnels, item analysis, misconception maps) are cached under a key
# that changes with any new submission, completion, first prediction or membership; the
# timeout bounds how long an edit to the content itself (a question, a matrix) goes unseen.
TEAM_AGGREGATES_TIMEOUT = 5 * 60
# The learner's activity chart covers this many weeks, this week included.
ACTIVITY_WEEKS = 12


# --- one learner in one course --------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    """A learner's best submitted result on one quiz."""

    quiz_id: int
    best_percent: int
    passed: bool
    last_submitted_at: datetime.datetime


@dataclass
class CourseProgress:
    """Progress of one learner in one course (see the module docstring for each figure)."""

    user_id: int
    course: Course
    lessons_completed: int = 0
    enrolled: bool = False
    quiz_results: dict[int, QuizResult] = field(default_factory=dict)
    activity: list[datetime.datetime] = field(default_factory=list)

    @property
    def lessons_total(self) -> int:
        return self.course.lessons_total

    @property
    def quizzes_total(self) -> int:
        return self.course.quizzes_total

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return 100 * min(self.lessons_completed, self.lessons_total) // self.lessons_total

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for result in self.quiz_results.values() if result.passed)

    @property
    def quiz_best_percent(self) -> int | None:
        if not self.quiz_results:
            return None
        bests = [result.best_percent for result in self.quiz_results.values()]
        return round(sum(bests) / len(bests))

    @property
    def complete(self) -> bool:
        has_content = self.lessons_total + self.quizzes_total > 0
        return (
            has_content
            and self.lessons_completed >= self.lessons_total
            and self.quizzes_passed >= self.quizzes_total
        )

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


def course_progress(
    *, user_ids: Sequence[int], courses: Sequence[Course]
) -> dict[tuple[int, int], CourseProgress]:
    """Progress of every user in every course, keyed by (user id, course id).

    ``courses`` must come from ``with_totals``. Three aggregate queries, whatever the numbers.
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
            passed=row["passes"] > 0,
            last_submitted_at=row["last"],
        )
        progress.activity.append(row["last"])
    enrollments = Enrollment.objects.filter(user_id__in=user_ids, course_id__in=course_ids).values(
        "user_id", "course_id", "enrolled_at", "last_seen_at"
    )
    for row in enrollments:
        progress = table[(row["user_id"], row["course_id"])]
        progress.enrolled = True
        progress.activity.extend(
            moment for moment in (row["enrolled_at"], row["last_seen_at"]) if moment
        )
    return table


# --- the learner's own dashboard ------------------------------------------------------------


@dataclass
class CourseCard:
    """One started course on the learner's dashboard."""

    course: Course
    progress: CourseProgress
    quizzes: list[tuple[Quiz, QuizResult | None]]


@dataclass(frozen=True)
class MatrixAccuracy:
    """How many of a matrix's cells the learner predicted right at the first try."""

    title: str
    slug: str
    predicted: int
    right: int

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

    @property
    def has_activity(self) -> bool:
        return any(count for _, count in self.weeks)


def learner_courses(user) -> QuerySet[Course]:
    """Published courses the user has started or a team of theirs is assigned, with totals and
    the next published lesson they have not completed (``next_lesson_slug``/``_title``)."""
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
    return (
        with_totals(Course.objects.filter(is_published=True))
        .annotate(
            is_started=started,
            is_assigned=assigned,
            next_lesson_slug=Subquery(unfinished.values("slug")[:1]),
            next_lesson_title=Subquery(unfinished.values("title")[:1]),
        )
        .filter(Q(is_started=True) | Q(is_assigned=True))
        .order_by("order", "title")
    )


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
    """Everything /progress/ shows, in a fixed number of queries."""
    courses = list(learner_courses(user))
    started = [course for course in courses if course.is_started]
    progress = course_progress(user_ids=[user.pk], courses=started)
    quizzes = defaultdict(list)
    for quiz in Quiz.objects.filter(course__in=[c.pk for c in started], is_published=True):
        quizzes[quiz.course_id].append(quiz)
    cards = []
    for course in started:
        course_progress_ = progress[(user.pk, course.pk)]
        results = course_progress_.quiz_results
        cards.append(
            CourseCard(
                course=course,
                progress=course_progress_,
                quizzes=[(quiz, results.get(quiz.pk)) for quiz in quizzes[course.pk]],
            )
        )
    predictions = (
        MatrixPrediction.objects.filter(user=user, is_first=True, cell__row__matrix__is_published=True)
        .values("cell__row__matrix__title", "cell__row__matrix__slug")
        .annotate(predicted=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by("cell__row__matrix__title")
    )
    matrices = [
        MatrixAccuracy(
            title=row["cell__row__matrix__title"],
            slug=row["cell__row__matrix__slug"],
            predicted=row["predicted"],
            right=row["right"],
        )
        for row in predictions
    ]
    return LearnerDashboard(
        cards=cards,
        assigned=[course for course in courses if not course.is_started],
        memberships=list(user.memberships.select_related("team").order_by("team__name")),
        matrices=matrices,
        weeks=weekly_completions(user=user, now=now),
    )


# --- a team ---------------------------------------------------------------------------------


@dataclass
class TeamProgress:
    """A team's members (role "member"; managers are not counted) in its assigned courses."""

    team: Team
    members: list[Membership]
    courses: list[Course]
    progress: dict[tuple[int, int], CourseProgress]
    all_courses: list[Course] = field(default_factory=list)

    def rows(self):
        """(membership, course, progress) for every member x course, members by username."""
        for membership in self.members:
            for course in self.courses:
                yield membership, course, self.progress[(membership.user_id, course.pk)]


def team_progress(*, team: Team, course_slug: str | None = None) -> TeamProgress:
    """The team's members and their progress in its published assigned courses (or one)."""
    data = _team_without_progress(team=team, course_slug=course_slug)
    data.progress = course_progress(user_ids=[m.user_id for m in data.members], courses=data.courses)
    return data


def _team_without_progress(*, team: Team, course_slug: str | None) -> TeamProgress:
    members = list(
        team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__username")
    )
    all_courses = list(
        with_totals(team.courses.filter(is_published=True)).order_by("order", "title")
    )
    courses = [c for c in all_courses if c.slug == course_slug] if course_slug else all_courses
    return TeamProgress(team=team, members=members, courses=courses, progress={}, all_courses=all_courses)


@dataclass(frozen=True)
class QuizPassShare:
    quiz: Quiz
    passed: int
    members: int

    @property
    def percent(self) -> int:
        return round(100 * self.passed / self.members) if self.members else 0


@dataclass(frozen=True)
class FunnelStep:
    lesson: Lesson
    completed: int


@dataclass(frozen=True)
class StuckMember:
    """``last_activity`` is the day they joined when they never started (``started`` False)."""

    membership: Membership
    unfinished: list[Course]
    last_activity: datetime.datetime
    started: bool


@dataclass
class CellShare:
    """The share of members whose first prediction for one matrix cell was right."""

    cell: MatrixCell
    predicted: int
    right: int

    @property
    def share(self) -> float | None:
        return self.right / self.predicted if self.predicted else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


@dataclass
class MatrixMap:
    """One matrix's cells with the team's first-prediction results, rows x columns in order."""

    title: str
    rows: dict[int, str] = field(default_factory=dict)
    columns: dict[int, str] = field(default_factory=dict)
    cells: dict[tuple[int, int], CellShare] = field(default_factory=dict)

    @property
    def predicted(self) -> int:
        return sum(cell.predicted for cell in self.cells.values())

    def grid(self) -> list[tuple[str, list[CellShare | None]]]:
        return [
            (label, [self.cells.get((row_id, column_id)) for column_id in self.columns])
            for row_id, label in self.rows.items()
        ]


@dataclass
class QuizAnalysis:
    quiz: Quiz
    takers: int
    items: list[ItemStats]


@dataclass(frozen=True)
class TeamSummary:
    """The figures over every member that the dashboard shows, by ids so they can be cached.

    ``passed``: members who passed, by quiz id; ``stuck``: (user id, unfinished course ids,
    last activity, started) longest inactive first.
    """

    average_percent: int | None
    completed_courses: int
    has_activity: bool
    passed: dict[int, int]
    stuck: list[tuple[int, list[int], datetime.datetime, bool]]


def team_summary(*, data: TeamProgress, quizzes: Sequence[Quiz], now: datetime.datetime) -> TeamSummary:
    """Work out the summary from ``data`` with its progress (``team_progress``)."""
    rows = [progress for _, _, progress in data.rows()]
    passed = {
        quiz.pk: sum(
            1
            for m in data.members
            if (result := data.progress[(m.user_id, quiz.course_id)].quiz_results.get(quiz.pk))
            and result.passed
        )
        for quiz in quizzes
    }
    stuck = []
    threshold = now - datetime.timedelta(days=STUCK_AFTER_DAYS)
    for membership in data.members:
        mine = [data.progress[(membership.user_id, course.pk)] for course in data.courses]
        unfinished = [p.course.pk for p in mine if not p.complete]
        last = max([membership.joined_at, *(p.last_activity for p in mine if p.last_activity)])
        if unfinished and last < threshold:
            stuck.append((membership.user_id, unfinished, last, any(p.started for p in mine)))
    stuck.sort(key=lambda item: item[2])
    return TeamSummary(
        average_percent=round(sum(p.percent for p in rows) / len(rows)) if rows else None,
        completed_courses=sum(1 for p in rows if p.complete),
        has_activity=any(p.started for p in rows),
        passed=passed,
        stuck=stuck,
    )


@dataclass
class TeamDashboard:
    """``data.progress`` is filled only when the team's aggregates were worked out by this
    request (not cached); the figures over every member are in ``summary``."""

    data: TeamProgress
    lessons: list[Lesson]
    done: set[tuple[int, int]]
    quiz_shares: list[QuizPassShare]
    funnels: list[tuple[Course, list[FunnelStep]]]
    stuck: list[StuckMember]
    quizzes: list[QuizAnalysis]
    matrices: list[MatrixMap]
    summary: TeamSummary
    page: Page | None = None
    _heatmap_rows: list | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def page_members(self) -> list[Membership]:
        """The members the per-member parts show: the current page's, or all without a page."""
        return list(self.page.object_list) if self.page is not None else self.data.members

    def page_links(self) -> list:
        """Page numbers for the pager, with Paginator.ELLIPSIS where a long run is left out."""
        if self.page is None:
            return []
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))

    @property
    def average_percent(self) -> int | None:
        return self.summary.average_percent

    @property
    def completed_courses(self) -> int:
        return self.summary.completed_courses

    @property
    def possible_completions(self) -> int:
        return len(self.data.members) * len(self.data.courses)

    @property
    def has_activity(self) -> bool:
        return self.summary.has_activity

    def numbered_lessons(self) -> list[tuple[str, Lesson]]:
        """Lessons with a label "course.lesson" by position, e.g. "2.3"."""
        course_number = {course.pk: n for n, course in enumerate(self.data.courses, start=1)}
        seen: Counter = Counter()
        labelled = []
        for lesson in self.lessons:
            seen[lesson.course_id] += 1
            labelled.append((f"{course_number[lesson.course_id]}.{seen[lesson.course_id]}", lesson))
        return labelled

    def heatmap_rows(self) -> list[tuple[Membership, list[bool]]]:
        """The current page's members with a done flag per lesson (all members without a page)."""
        # Read by the chart and by its table: worked out once.
        if self._heatmap_rows is None:
            self._heatmap_rows = [
                (m, [(m.user_id, lesson.pk) in self.done for lesson in self.lessons])
                for m in self.page_members
            ]
        return self._heatmap_rows


def _first_attempts(*, user_ids: Sequence[int], quiz_ids: Sequence[int]) -> QuerySet[Attempt]:
    """Each user's earliest submitted attempt at each quiz."""
    earliest = (
        Attempt.objects.filter(
            user=OuterRef("user"), quiz=OuterRef("quiz"), submitted_at__isnull=False
        )
        .order_by("submitted_at", "pk")
        .values("pk")[:1]
    )
    return (
        Attempt.objects.filter(user_id__in=user_ids, quiz_id__in=quiz_ids, submitted_at__isnull=False)
        .annotate(first_pk=Subquery(earliest))
        .filter(pk=F("first_pk"))
    )


def item_analysis(
    *, quizzes: Sequence[Quiz], user_ids: Sequence[int]
) -> list[QuizAnalysis]:
    """Item statistics per question over the users' first attempts (two queries)."""
    quiz_ids = [quiz.pk for quiz in quizzes]
    questions: dict[int, list[Question]] = defaultdict(list)
    choices: dict[int, Choice] = {}
    for choice in (
        Choice.objects.filter(question__quiz_id__in=quiz_ids)
        .select_related("question")
        .order_by("question__quiz_id", "question__order", "question_id", "order", "pk")
    ):
        choices[choice.pk] = choice
        quiz_questions = questions[choice.question.quiz_id]
        if not quiz_questions or quiz_questions[-1].pk != choice.question_id:
            quiz_questions.append(choice.question)
    # Tuples, not dicts: a 1,000-member team has tens of thousands of these rows.
    rows = Response.objects.filter(
        attempt__in=_first_attempts(user_ids=user_ids, quiz_ids=quiz_ids)
    ).values_list(
        "pk",
        "question_id",
        "is_correct",
        "attempt__user_id",
        "attempt__quiz_id",
        "attempt__score",
        "chosen__pk",
    )
    responses: dict[int, tuple] = {}
    wrong: dict[int, list[int]] = defaultdict(list)
    for pk, question_id, is_correct, user_id, quiz_id, score, chosen_pk in rows:
        if pk not in responses:
            responses[pk] = (question_id, is_correct, user_id, quiz_id, score)
        chosen = choices.get(chosen_pk)
        if chosen is not None and not chosen.is_correct:
            wrong[pk].append(chosen_pk)
    answers: dict[int, list[Answer]] = defaultdict(list)
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, (question_id, is_correct, user_id, quiz_id, score) in responses.items():
        answers[quiz_id].append(
            Answer(
                user_id=user_id,
                question_id=question_id,
                is_correct=is_correct,
                chosen_wrong=tuple(wrong.get(pk, ())),
            )
        )
        scores[quiz_id][user_id] = score
    return [
        QuizAnalysis(
            quiz=quiz,
            takers=len(scores[quiz.pk]),
            items=analyse_quiz(
                questions=questions[quiz.pk],
                choices=choices,
                answers=answers[quiz.pk],
                scores=scores[quiz.pk],
            ),
        )
        for quiz in quizzes
    ]


def misconception_maps(*, user_ids: Sequence[int]) -> list[MatrixMap]:
    """For each predictable cell of a published matrix (the default column is shown revealed,
    so it is never predicted), how many users predicted it first, and how many right."""
    first = Q(predictions__is_first=True, predictions__user_id__in=user_ids)
    cells = (
        MatrixCell.objects.filter(row__matrix__is_published=True, column__is_default=False)
        .select_related("row__matrix", "column")
        .annotate(
            predicted=Count("predictions", filter=first),
            right=Count("predictions", filter=first & Q(predictions__is_correct=True)),
        )
        .order_by("row__matrix__title", "row__matrix_id", "row__order", "column__order", "pk")
    )
    maps: dict[int, MatrixMap] = {}
    columns: dict[int, list] = defaultdict(list)
    for cell in cells:
        matrix_map = maps.setdefault(cell.row.matrix_id, MatrixMap(title=cell.row.matrix.title))
        matrix_map.rows.setdefault(cell.row_id, cell.row.label)
        columns[cell.row.matrix_id].append((cell.column.order, cell.column_id, cell.column.label))
        matrix_map.cells[(cell.row_id, cell.column_id)] = CellShare(
            cell=cell, predicted=cell.predicted, right=cell.right
        )
    for matrix_id, matrix_map in maps.items():
        matrix_map.columns = {pk: label for _, pk, label in sorted(set(columns[matrix_id]))}
    return list(maps.values())


def members_page(members: Sequence[Membership], number) -> Page:
    """Page ``number`` of the members, MEMBERS_PER_PAGE a page, in their order.

    Any bad number (missing, not a whole number, below 1 or past the last page) gives page 1,
    so a stale or hand-edited link still shows the dashboard. No query: ``members`` is a list.
    """
    paginator = Paginator(members, MEMBERS_PER_PAGE)
    try:
        return paginator.page(number)
    except (InvalidPage, OverflowError):
        return paginator.page(1)


def _count_and_latest(queryset: QuerySet, field_name: str) -> tuple[Subquery, Subquery]:
    """Two scalar subqueries over ``queryset``: its row count and the latest ``field_name``."""
    grouped = queryset.order_by().annotate(one=Value(1)).values("one")
    return (
        Subquery(grouped.annotate(n=Count("pk")).values("n")[:1]),
        Subquery(grouped.annotate(latest=Max(field_name)).values("latest")[:1]),
    )


def team_fingerprint(team: Team) -> tuple:
    """What changes whenever the team's aggregates could: counts and latest times of its
    members' submitted attempts, lesson completions and enrolments (last seen), their first
    predictions, and the memberships. One query (scalar subqueries); cheap next to the
    aggregates themselves."""
    members = Membership.objects.filter(team_id=team.pk, role=Membership.Role.MEMBER)
    member_ids = members.values("user_id")
    attempts, last_attempt = _count_and_latest(
        Attempt.objects.filter(user_id__in=member_ids, submitted_at__isnull=False), "submitted_at"
    )
    completions, last_completion = _count_and_latest(
        LessonCompletion.objects.filter(user_id__in=member_ids), "completed_at"
    )
    predictions, _ = _count_and_latest(
        MatrixPrediction.objects.filter(user_id__in=member_ids, is_first=True), "pk"
    )
    # Lesson views move last_seen_at, which the stuck list reads.
    enrolments, last_seen = _count_and_latest(
        Enrollment.objects.filter(user_id__in=member_ids), "last_seen_at"
    )
    memberships, last_joined = _count_and_latest(members, "joined_at")
    row = (
        Team.objects.filter(pk=team.pk)
        .annotate(
            attempts=attempts,
            last_attempt=last_attempt,
            completions=completions,
            last_completion=last_completion,
            predictions=predictions,
            fp_memberships=memberships,
            last_joined=last_joined,
            enrolments=enrolments,
            last_seen=last_seen,
        )
        .values_list(
            "attempts", "last_attempt", "completions", "last_completion", "predictions",
            "fp_memberships", "last_joined", "enrolments", "last_seen",
        )
        .get()
    )
    return tuple(value.isoformat() if isinstance(value, datetime.datetime) else value for value in row)


def _aggregates_key(*, team: Team, fingerprint: tuple, courses, lessons, quizzes) -> str:
    parts = repr((
        fingerprint,
        [course.pk for course in courses],
        [lesson.pk for lesson in lessons],
        [quiz.pk for quiz in quizzes],
    ))
    return f"progress:team:{team.pk}:{hashlib.sha256(parts.encode()).hexdigest()}"


def team_dashboard(
    *,
    team: Team,
    course_slug: str | None = None,
    page_number=None,
    now: datetime.datetime | None = None,
) -> TeamDashboard:
    """Everything the team dashboard shows, in a fixed number of queries.

    Team-level figures (summary, quiz shares, funnels, stuck list, item analysis, misconception
    maps) cover every member; the heatmap and its table cover page ``page_number`` of them.
    """
    now = now or timezone.now()
    data = _team_without_progress(team=team, course_slug=course_slug)
    user_ids = [m.user_id for m in data.members]
    course_ids = [course.pk for course in data.courses]
    position = {course.pk: index for index, course in enumerate(data.courses)}
    lessons = sorted(
        Lesson.objects.filter(course_id__in=course_ids, status=PUBLISHED).order_by("order", "pk"),
        key=lambda lesson: position[lesson.course_id],
    )
    quizzes = sorted(
        Quiz.objects.filter(course_id__in=course_ids, is_published=True)
        .select_related("course")
        .order_by("order", "pk"),
        key=lambda quiz: position[quiz.course_id],
    )
    page = members_page(data.members, page_number)
    key = _aggregates_key(
        team=team, fingerprint=team_fingerprint(team), courses=data.courses, lessons=lessons,
        quizzes=quizzes,
    )
    aggregates = cache.get(key)
    # Without the cached counts every member's completions are read for the funnels; with
    # them, only the page's members', for the heatmap.
    done_for = user_ids if aggregates is None else [m.user_id for m in page.object_list]
    done = set(
        LessonCompletion.objects.filter(
            user_id__in=done_for, lesson__course_id__in=course_ids, lesson__status=PUBLISHED
        ).values_list("user_id", "lesson_id")
    )
    if aggregates is None:
        data.progress = course_progress(user_ids=user_ids, courses=data.courses)
        aggregates = {
            "per_lesson": dict(Counter(lesson_id for _, lesson_id in done)),
            "quizzes": item_analysis(quizzes=quizzes, user_ids=user_ids),
            "matrices": misconception_maps(user_ids=user_ids),
            # The stuck list is as of when it was worked out: at most TEAM_AGGREGATES_TIMEOUT
            # old, against a threshold of days.
            "summary": team_summary(data=data, quizzes=quizzes, now=now),
        }
        cache.set(key, aggregates, TEAM_AGGREGATES_TIMEOUT)
    summary = aggregates["summary"]

    per_lesson = Counter(aggregates["per_lesson"])
    funnels = []
    for course in data.courses:
        steps = [
            FunnelStep(lesson=lesson, completed=per_lesson[lesson.pk])
            for lesson in lessons
            if lesson.course_id == course.pk
        ]
        if steps:
            funnels.append((course, steps))

    quiz_shares = [
        QuizPassShare(quiz=quiz, passed=summary.passed.get(quiz.pk, 0), members=len(data.members))
        for quiz in quizzes
    ]
    by_user = {membership.user_id: membership for membership in data.members}
    by_course = {course.pk: course for course in data.courses}
    stuck = [
        StuckMember(
            membership=by_user[user_id],
            unfinished=[by_course[course_id] for course_id in unfinished],
            last_activity=last,
            started=started,
        )
        for user_id, unfinished, last, started in summary.stuck
    ]

    return TeamDashboard(
        data=data,
        lessons=lessons,
        done=done,
        quiz_shares=quiz_shares,
        funnels=funnels,
        stuck=stuck,
        quizzes=aggregates["quizzes"],
        matrices=aggregates["matrices"],
        summary=summary,
        page=page,
    )
