"""Reads that span relations: quizzes with a learner's status, attempts, reviews, practice answers.

Each function costs a fixed number of queries, however many quizzes, questions or attempts
there are.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core import shared
from courses.completion import is_quiz_passed

from .grading import QuestionGrade, is_answer_right
from .models import Attempt, Question, Quiz, Response
from .reviews import QuestionReview, build_reviews


def visible_quizzes() -> QuerySet[Quiz]:
    """Published quizzes of published courses, with their course and lesson."""
    return Quiz.objects.filter(is_published=True, course__is_published=True).select_related(
        "course", "lesson"
    )


def questions_with_choices(quiz: Quiz) -> list[Question]:
    return list(quiz.questions.prefetch_related("choices"))


def learner_attempts(*, user, quiz: Quiz) -> list[Attempt]:
    """The learner's attempts at ``quiz``, newest first, each holding ``quiz`` and ``user``."""
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at", "-pk"))
    for attempt in attempts:
        attempt.quiz = quiz
        attempt.user = user
    return attempts


def best_percent(attempts: Sequence[Attempt]) -> int | None:
    submitted = [attempt.percent for attempt in attempts if attempt.is_submitted]
    return max(submitted) if submitted else None


def history(attempts: Sequence[Attempt]) -> list[Attempt]:
    """Submitted attempts, oldest first, each numbered in ``number``."""
    submitted = sorted(
        (attempt for attempt in attempts if attempt.is_submitted),
        key=lambda attempt: (attempt.submitted_at, attempt.pk),
    )
    for number, attempt in enumerate(submitted, start=1):
        attempt.number = number
    return submitted


def attempt_reviews(*, attempt: Attempt, questions: Sequence[Question]) -> list[QuestionReview]:
    """The submitted attempt's answers, question by question, in two queries.

    ``questions`` are arranged in the attempt's order; a question added after the attempt
    was submitted has no response and is left out.
    """
    correct, confidences = {}, {}
    rows = Response.objects.filter(attempt=attempt).values_list(
        "question_id", "is_correct", "confidence"
    )
    for question_id, is_correct, confidence in rows:
        correct[question_id], confidences[question_id] = is_correct, confidence
    chosen = defaultdict(set)
    rows = Response.chosen.through.objects.filter(response__attempt=attempt).values_list(
        "response__question_id", "choice_id"
    )
    for question_id, choice_id in rows:
        chosen[question_id].add(choice_id)
    return build_reviews(questions, chosen, correct, confidences)


def stored_answers(*, attempt: Attempt, questions: Sequence[Question]) -> dict[int, QuestionGrade]:
    """The answers saved so far in a practice attempt, oldest first, in one query.

    ``questions`` are the attempt's (with ``choices`` prefetched), for the right choices;
    an answer to a question not among them is left out.
    """
    rows = (
        Response.chosen.through.objects.filter(response__attempt=attempt)
        .order_by("response_id", "choice_id")
        .values_list("response__question_id", "response__confidence", "choice_id")
    )
    chosen: dict[int, set[int]] = {}
    confidences: dict[int, str] = {}
    for question_id, confidence, choice_id in rows:
        chosen.setdefault(question_id, set()).add(choice_id)
        confidences[question_id] = confidence
    by_id = {question.pk: question for question in questions}
    answers = {}
    for question_id, picked in chosen.items():
        question = by_id.get(question_id)
        if question is None:
            continue
        right = frozenset(c.pk for c in question.choices.all() if c.is_correct)
        answers[question_id] = QuestionGrade(
            question_id=question_id,
            chosen=frozenset(picked),
            right=right,
            is_correct=is_answer_right(question.kind, picked, right),
            confidence=confidences[question_id],
        )
    return answers


@dataclass(frozen=True)
class QuizStatus:
    """A quiz as a list shows it: not started, best score so far, or passed."""

    quiz: Quiz
    question_count: int
    attempts: int
    best_percent: int | None
    passed: bool

    @property
    def started(self) -> bool:
        return self.attempts > 0


def _scalar(queryset: QuerySet, default=None):
    """``queryset``'s one value per outer row as a subquery (``default`` when it has no row)."""
    found = Subquery(queryset[:1])
    return found if default is None else Coalesce(found, Value(default))


def quiz_statuses(*, user, course=None, lesson=None, request=None) -> list[QuizStatus]:
    """Published quizzes of a course or following a lesson, with ``user``'s status: one query.

    With ``request`` and a ``course``, the course's quizzes and their question counts (the
    same for everyone) come from the cache per content version (``core.shared``) and only the
    learner's attempts are read: one plain query, none for a visitor or a course without
    quizzes.

    The counts are scalar subqueries per quiz, not joins: joining every attempt of every learner
    to the questions made the course's outline cost 100 ms in a 10,000-learner database; each
    subquery reads only the user's attempts at one quiz (index ``user, quiz, submitted_at``)."""
    if request is not None and course is not None and lesson is None:
        found = shared.facts(request, "quizzes", (course.pk,), lambda: _quizzes(course=course))
        return _with_attempts(found, user)
    quizzes = Quiz.objects.filter(is_published=True)
    if course is not None:
        quizzes = quizzes.filter(course=course)
    if lesson is not None:
        quizzes = quizzes.filter(lesson=lesson)
    questions = Question.objects.filter(quiz=OuterRef("pk")).order_by().values("quiz")
    quizzes = quizzes.annotate(question_count=_scalar(questions.annotate(n=Count("pk")).values("n"), 0))
    if user is not None and user.is_authenticated:
        mine = Attempt.objects.filter(quiz=OuterRef("pk"), user=user, submitted_at__isnull=False)
        mine = mine.order_by().values("quiz")
        quizzes = quizzes.annotate(
            tries=_scalar(mine.annotate(n=Count("pk")).values("n"), 0),
            best=_scalar(mine.annotate(top=Max("percent")).values("top")),
            passes=_scalar(mine.filter(passed=True).annotate(n=Count("pk")).values("n"), 0),
        )
    return [
        QuizStatus(
            quiz=quiz,
            question_count=quiz.question_count,
            attempts=getattr(quiz, "tries", 0),
            best_percent=getattr(quiz, "best", None),
            passed=is_quiz_passed(getattr(quiz, "passes", 0)),
        )
        for quiz in quizzes.order_by("order", "pk")
    ]


def _quizzes(*, course) -> list[Quiz]:
    """The course's published quizzes in order, each with ``question_count``: one query."""
    questions = Question.objects.filter(quiz=OuterRef("pk")).order_by().values("quiz")
    count = _scalar(questions.annotate(n=Count("pk")).values("n"), 0)
    quizzes = Quiz.objects.filter(is_published=True, course=course).annotate(question_count=count)
    return list(quizzes.order_by("order", "pk"))


def _with_attempts(quizzes: list[Quiz], user) -> list[QuizStatus]:
    """``quizzes`` with ``user``'s submitted attempts counted: one query (index ``user, quiz,
    submitted_at``), none for a visitor or no quizzes."""
    tallies = {}
    if quizzes and user is not None and user.is_authenticated:
        rows = (
            Attempt.objects.filter(
                user=user, quiz_id__in=[quiz.pk for quiz in quizzes], submitted_at__isnull=False
            )
            .order_by()
            .values("quiz_id")
            .annotate(
                tries=Count("pk"), best=Max("percent"), passes=Count("pk", filter=Q(passed=True))
            )
            .values_list("quiz_id", "tries", "best", "passes")
        )
        tallies = {quiz_id: (tries, best, passes) for quiz_id, tries, best, passes in rows}
    statuses = []
    for quiz in quizzes:
        tries, best, passes = tallies.get(quiz.pk, (0, None, 0))
        statuses.append(
            QuizStatus(
                quiz=quiz,
                question_count=quiz.question_count,
                attempts=tries,
                best_percent=best,
                passed=is_quiz_passed(passes),
            )
        )
    return statuses
