"""Worlds for the benchmark tests: the shipped content, shaped small or large, a cohort, and
one learner with a known history. Build one inside a transaction that the caller rolls back.
"""

from dataclasses import dataclass
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Membership, Team
from lessons.models import Lesson
from lessons.services import complete_lesson
from matrix.predictions import verdict_choices
from matrix.selectors import matrix_grid
from progress.cohort import make_cohort
from quizzes.models import Attempt, Question, Quiz
from quizzes.selectors import questions_with_choices
from tests.factories import submit_attempt, submit_predictions, visit

COURSE = "clinical-documentation-ai"
EMBED_LESSON = "when-fine-tuning-pays"  # its body embeds [[matrix:base-strength]]
MATRIX = "base-strength"

SIZES = {
    "small": {"lessons": 3, "questions": 2, "learners": 5, "attempts": 1, "predictions": 1},
    "large": {"lessons": 30, "questions": 12, "learners": 500, "attempts": 5, "predictions": 3},
}


@dataclass
class World:
    size: str
    learner: object
    manager: object
    team: Team
    lessons: list  # the course's published lessons, in order
    quiz: Quiz
    attempt: Attempt  # the learner's latest submitted attempt
    members: int


def _shape_content(size: dict) -> None:
    """Trim or pad the course under test to ``lessons`` lessons, quizzes to ``questions``."""
    lessons = list(Lesson.objects.filter(course__slug=COURSE, status="published").order_by("order", "pk"))
    if len(lessons) > size["lessons"]:
        keep = [lesson for lesson in lessons if lesson.slug == EMBED_LESSON]
        keep += [lesson for lesson in lessons if lesson.slug != EMBED_LESSON][: size["lessons"] - 1]
        Lesson.objects.filter(pk__in=[x.pk for x in lessons if x not in keep]).delete()
    else:
        Lesson.objects.bulk_create(
            Lesson(course=lessons[0].course, slug=f"extra-{n}", title=f"Extra lesson {n}",
                   order=100 + n, body="Extra.", body_html="<p>Extra.</p>", status="published")
            for n in range(size["lessons"] - len(lessons))
        )
    for quiz in Quiz.objects.all():
        questions = list(quiz.questions.order_by("order", "pk"))
        Question.objects.filter(pk__in=[q.pk for q in questions[size["questions"]:]]).delete()
        assert quiz.questions.count() == size["questions"]


def _learner_history(*, learner, lessons, quiz, size: dict) -> Attempt:
    """Everything but the last lesson done, some quiz attempts, some matrix predictions."""
    for lesson in lessons[:-1]:
        complete_lesson(user=learner, lesson=lesson)
    visit(user=learner, lesson=lessons[-2])
    questions = questions_with_choices(quiz)
    for number in range(size["attempts"]):
        answers = {q.pk: {list(q.choices.all())[number % q.choices.count()].pk}
                   for q in questions}
        attempt = submit_attempt(user=learner, quiz=quiz, answers=answers, days_ago=None)
    grid = matrix_grid(slug=MATRIX)
    verdicts = verdict_choices(grid)
    for number in range(size["predictions"]):
        submit_predictions(user=learner, matrix=grid.matrix, column=grid.hidden_columns[0],
                           verdict=verdicts[number % len(verdicts)])
    return attempt


def build_world(name: str) -> World:
    """The world called ``name`` (a key of SIZES), written to the database."""
    size = SIZES[name]
    call_command("load_content", "content", stdout=StringIO())
    _shape_content(size)
    make_cohort(learners=size["learners"], teams=max(1, size["learners"] // 50), seed=4,
                everyone=True)
    team = Team.objects.get(slug="load-everyone")
    learner = get_user_model().objects.create_user("budget-learner", password="unused-pass-1")
    Membership.objects.create(team=team, user=learner)
    lessons = list(Lesson.objects.filter(course__slug=COURSE, status="published")
                   .select_related("course").order_by("order", "pk"))
    assert len(lessons) == size["lessons"]
    quiz = Quiz.objects.get(course__slug=COURSE)
    attempt = _learner_history(learner=learner, lessons=lessons, quiz=quiz, size=size)
    return World(
        size=name,
        learner=learner,
        manager=team.memberships.get(role="manager").user,
        team=team,
        lessons=lessons,
        quiz=quiz,
        attempt=attempt,
        members=size["learners"] + 1,
    )
