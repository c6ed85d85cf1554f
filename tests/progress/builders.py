"""Plain ORM builders for progress tests: courses, lessons, quizzes, matrices, teams, activity.

Timestamps that the models fill in themselves (auto_now_add) are moved afterwards with
``update()`` so a test can place activity in the past.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Team
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from matrix.models import (
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
    Winner,
)
from quizzes.models import Attempt, Choice, Question, Quiz, Response


def make_course(slug="clinical-documentation-ai", *, title=None, order=1, lessons=3,
                drafts=0, published=True) -> Course:
    course = Course.objects.create(
        slug=slug, title=title or slug.replace("-", " ").capitalize(), summary="A track.",
        order=order, is_published=published,
    )
    for number in range(1, lessons + drafts + 1):
        Lesson.objects.create(
            course=course, slug=f"lesson-{number}", title=f"{course.title} lesson {number}",
            order=number, body=f"Lesson {number} body.",
            status=Lesson.Status.PUBLISHED if number <= lessons else Lesson.Status.DRAFT,
        )
    return course


def published_lessons(course) -> list[Lesson]:
    return list(course.lessons.filter(status=Lesson.Status.PUBLISHED).order_by("order"))


def make_quiz(course, slug, *, questions=3, pass_percent=70, published=True) -> Quiz:
    """A quiz whose questions each have choices "right", "wrong A", "wrong B" (in that order)."""
    quiz = Quiz.objects.create(
        course=course, slug=slug, title=f"Quiz {slug}", pass_percent=pass_percent,
        is_published=published,
    )
    for number in range(1, questions + 1):
        question = Question.objects.create(
            quiz=quiz, order=number, prompt=f"Question {number} of {slug}?", explanation="Because."
        )
        for order, (text, correct) in enumerate(
            [("right", True), ("wrong A", False), ("wrong B", False)], start=1
        ):
            Choice.objects.create(question=question, order=order, text=f"{text} ({number})",
                                  is_correct=correct)
    return quiz


def at(days_ago: float = 0, *, now=None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=days_ago)


def complete(user, lesson, *, days_ago: float = 0) -> LessonCompletion:
    completion = LessonCompletion.objects.create(user=user, lesson=lesson)
    LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=at(days_ago))
    completion.refresh_from_db()
    return completion


def enrol(user, course, *, days_ago: float = 0) -> Enrollment:
    enrollment = Enrollment.objects.create(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at(days_ago))
    enrollment.refresh_from_db()
    return enrollment


def submit(user, quiz, picks, *, days_ago: float = 0) -> Attempt:
    """A submitted attempt. ``picks`` lists, per question in order, the chosen choice texts'
    first word(s): "right", "wrong A" or "wrong B" (or a list of them)."""
    questions = list(quiz.questions.order_by("order").prefetch_related("choices"))
    attempt = Attempt.objects.create(user=user, quiz=quiz, total=len(questions))
    score = 0
    for question, pick in zip(questions, picks, strict=True):
        wanted = [pick] if isinstance(pick, str) else list(pick)
        chosen = [c for c in question.choices.all() if c.text.rsplit(" (", 1)[0] in wanted]
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        is_correct = {c.pk for c in chosen} == correct
        score += is_correct
        response = Response.objects.create(attempt=attempt, question=question, is_correct=is_correct)
        response.chosen.set(chosen)
    percent = score * 100 // len(questions) if questions else 0  # rounded down, as grading does
    Attempt.objects.filter(pk=attempt.pk).update(
        score=score, percent=percent, passed=percent >= quiz.pass_percent,
        submitted_at=at(days_ago), started_at=at(days_ago) - datetime.timedelta(minutes=5),
    )
    attempt.refresh_from_db()
    return attempt


def make_matrix(slug="base-strength", *, rows=("Domain coverage", "Output format"),
                columns=("Weak base", "Strong base"), published=True) -> list[MatrixCell]:
    matrix = DecisionMatrix.objects.create(slug=slug, title=f"Matrix {slug}", is_published=published)
    column_rows = [
        MatrixColumn.objects.create(matrix=matrix, key=f"c{n}", label=label, order=n, is_default=n == 0)
        for n, label in enumerate(columns)
    ]
    cells = []
    for n, label in enumerate(rows):
        row = MatrixRow.objects.create(matrix=matrix, key=f"r{n}", label=label, order=n)
        for column in column_rows:
            cells.append(MatrixCell.objects.create(
                row=row, column=column, verdict="Fine-tune wins", winner=Winner.FINE_TUNE,
                explanation="Why.",
            ))
    return cells


def predict(user, cell, *, right: bool, first: bool = True) -> MatrixPrediction:
    predicted = cell.winner if right else Winner.GENERALIST
    return MatrixPrediction.objects.create(
        user=user, cell=cell, predicted=predicted, is_correct=right, is_first=first
    )


def make_team(slug="ward-7", *, name=None, courses=(), managers=(), members=()) -> Team:
    team = Team.objects.create(name=name or slug.replace("-", " ").title(), slug=slug)
    team.courses.set(courses)
    for user in managers:
        Membership.objects.create(team=team, user=user, role=Membership.Role.MANAGER)
    for user in members:
        Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    return team


def make_person(username, **extra):
    """A user without a usable password (no slow hashing), for tests that use force_login."""
    extra.setdefault("email", f"{username}@example.com")
    return get_user_model().objects.create_user(username=username, password=None, **extra)
