"""Building test data: one plain function per thing, with keyword-only arguments.

Every test that needs courses, lessons, quizzes, matrices, teams or learner activity builds it
here, so a change to a model's required fields is made once. Defaults are unique where the
database needs them to be (slugs count up) and recognisable where tests read them:

- ``make_course(lessons=3)`` adds lessons ``lesson-1`` … ``lesson-3`` titled
  "<course title> lesson <n>"; ``drafts`` adds draft lessons after them.
- ``make_quiz(questions=3)`` asks one-answer questions whose choices are "right (n)",
  "wrong A (n)" and "wrong B (n)", in that order, so ``submit_attempt(picks=["right",
  "wrong A"])`` reads as what the learner chose; ``make_quiz(kinds=("single", "multiple",
  "true_false"))`` asks one question of each kind instead (``CHOICES``), with feedback and
  explanations that name their question.
- ``make_block(course=, kind="check")`` adds an inline check (or predict block) whose choices
  are "right", "wrong A" and "wrong B" with feedback "FEEDBACK right" and so on;
  ``answer_kind="text"`` makes a predict block answered in words. Its outcome reads
  "OUTCOME-<slug>", so a test can tell whether a page gave it away.
- Activity (``complete_lessons``, ``enrol``, ``submit_attempt``, ``predict``) takes
  ``days_ago`` to place it in the past: timestamps the models fill in themselves are moved
  afterwards with ``update()``. Quiz attempts go through the real service (``issue_attempt``
  and ``submit_attempt`` in ``quizzes.services``); matrix predictions through ``record_predictions``
  (``submit_predictions``) or, for an exact first/right mix, as rows (``predict``).
"""

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Team
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion, Objective
from lessons.services import record_visit
from matrix.models import (
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
    Winner,
)
from matrix.predictions import verdict_choices
from matrix.selectors import matrix_grid
from matrix.services import record_predictions
from practice.models import Block, BlockAnswer, BlockChoice
from quizzes import services as quiz_services
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.selectors import questions_with_choices
from review.models import Card
from review.rating import rating_for
from review.scheduling import schedule

_numbers = count(1)

# For each kind of question: (choice text, right or not) in authored order.
CHOICES = {
    "single": [("Fine-tune a small model", False), ("Use the frontier generalist", True),
               ("Train from scratch", False)],
    "multiple": [("Format compliance", True), ("Broad reasoning", False),
                 ("Regulatory traceability", True), ("Bigger context windows", False)],
    "true_false": [("True", True), ("False", False)],
}  # fmt: skip
# The choices of a ``make_quiz(questions=n)`` question, in order.
PICKS = [("right", True), ("wrong A", False), ("wrong B", False)]


def at(*, days_ago: float = 0, now=None) -> datetime.datetime:
    """The moment ``days_ago`` days before ``now`` (by default, the present)."""
    return (now or timezone.now()) - datetime.timedelta(days=days_ago)


# -- people and teams ------------------------------------------------------------------------


def make_person(*, username: str, **extra):
    """A user without a usable password (no slow hashing), for tests that use force_login."""
    extra.setdefault("email", f"{username}@example.com")
    return get_user_model().objects.create_user(username=username, password=None, **extra)


def make_team(*, slug: str = "ward-7", name: str | None = None, courses=(), managers=(),
              members=(), due_on=None, assigned_at=None) -> Team:  # fmt: skip
    """A team following ``courses`` (each due on ``due_on`` and assigned at ``assigned_at``
    when given), with ``managers`` and ``members``."""
    team = Team.objects.create(name=name or slug.replace("-", " ").title(), slug=slug)
    through = {"due_on": due_on} | ({"assigned_at": assigned_at} if assigned_at else {})
    team.courses.set(courses, through_defaults=through)
    for user in managers:
        Membership.objects.create(team=team, user=user, role=Membership.Role.MANAGER)
    for user in members:
        Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
    return team


# -- courses and lessons ---------------------------------------------------------------------


def make_course(*, slug: str | None = None, title: str | None = None, summary: str | None = None,
                order: int | None = None, published: bool = True, lessons: int = 0,
                drafts: int = 0, **fields) -> Course:  # fmt: skip
    """A course (published unless told) with ``lessons`` published and ``drafts`` draft lessons."""
    number = next(_numbers)
    slug = slug or f"course-{number}"
    title = title or slug.replace("-", " ").capitalize()
    course = Course.objects.create(
        slug=slug,
        title=title,
        summary=summary or f"Summary of {title}.",
        order=number if order is None else order,
        is_published=published,
        **fields,
    )
    for n in range(1, lessons + drafts + 1):
        make_lesson(
            course=course, slug=f"lesson-{n}", title=f"{course.title} lesson {n}", order=n,
            body=f"Lesson {n} body.",
            status=Lesson.Status.PUBLISHED if n <= lessons else Lesson.Status.DRAFT,
        )  # fmt: skip
    return course


def make_lesson(*, course: Course, slug: str | None = None, title: str | None = None,
                order: int | None = None, body: str | None = None,
                status: str = Lesson.Status.PUBLISHED, estimated_minutes: int = 5,
                **fields) -> Lesson:  # fmt: skip
    """A lesson of ``course``, published unless told."""
    number = next(_numbers)
    return Lesson.objects.create(
        course=course,
        slug=slug or f"lesson-{number}",
        title=title or f"Lesson {number}",
        order=number if order is None else order,
        body=f"Body of lesson {number}." if body is None else body,
        status=status,
        estimated_minutes=estimated_minutes,
        **fields,
    )


def make_lessons(*, course: Course, count: int, **fields) -> list[Lesson]:
    """``count`` lessons of ``course``, ordered 1 to ``count``."""
    return [make_lesson(course=course, order=i + 1, **fields) for i in range(count)]


def published_lessons(*, course: Course) -> list[Lesson]:
    return list(course.lessons.filter(status=Lesson.Status.PUBLISHED).order_by("order"))


# -- quizzes ---------------------------------------------------------------------------------


def make_quiz(*, course: Course, slug: str | None = None, title: str | None = None,
              questions: int = 3, kinds: Sequence[str] | None = None, pass_percent: int = 70,
              published: bool = True, **fields) -> Quiz:  # fmt: skip
    """A quiz of ``course``: ``questions`` right/wrong questions, or one of each of ``kinds``.

    Unlike a new quiz in the admin, it keeps the authored order unless ``shuffle=True``, so a
    test can name questions by position.
    """
    slug = slug or f"quiz-{next(_numbers)}"
    fields.setdefault("shuffle", False)
    quiz = Quiz.objects.create(
        course=course, slug=slug, title=title or f"Quiz {slug}", pass_percent=pass_percent,
        is_published=published, **fields,
    )  # fmt: skip
    if kinds is not None:
        for number, kind in enumerate(kinds, start=1):
            add_question(quiz=quiz, kind=kind, number=number)
        return quiz
    for number in range(1, questions + 1):
        question = Question.objects.create(
            quiz=quiz, order=number, prompt=f"Question {number} of {slug}?", explanation="Because."
        )
        for order, (text, correct) in enumerate(PICKS, start=1):
            Choice.objects.create(
                question=question, order=order, text=f"{text} ({number})", is_correct=correct
            )
    return quiz


def add_question(*, quiz: Quiz, kind: str, number: int) -> Question:
    """Question ``number`` of ``quiz``, of ``kind``, with recognisable feedback (``CHOICES``)."""
    question = Question.objects.create(
        quiz=quiz,
        order=number,
        kind=kind,
        prompt=f"**Prompt {number}**: which holds for {kind}?",
        explanation=f"EXPLANATION-{number}: the reason behind question {number}.",
    )
    for index, (text, right) in enumerate(CHOICES[kind], start=1):
        Choice.objects.create(
            question=question,
            order=index,
            text=f"{text} ({number}.{index})",
            is_correct=right,
            feedback=f"FEEDBACK-{number}.{index}: {'why this is right' if right else 'why not'}",
        )
    return question


def answer_ids(*, quiz: Quiz, right: bool = True) -> dict[int, set[int]]:
    """Question id to chosen choice ids: all right, or the first wrong choice of each question."""
    answers = {}
    for question in quiz.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if right:
            answers[question.pk] = {c.pk for c in choices if c.is_correct}
        else:
            answers[question.pk] = {next(c.pk for c in choices if not c.is_correct)}
    return answers


def post_data(*, quiz: Quiz, right: bool = True, attempt: Attempt | None = None) -> dict:
    """The form data a browser sends for ``answer_ids``, with the attempt id if given."""
    data = {
        f"q{pk}": [str(c) for c in sorted(ids)]
        for pk, ids in answer_ids(quiz=quiz, right=right).items()
    }
    if attempt is not None:
        data["attempt"] = str(attempt.pk)
    return data


def submit_attempt(*, user, quiz: Quiz, picks: Sequence | None = None,
                   answers: Mapping[int, Iterable[int]] | None = None,
                   confidences: Sequence[str] | None = None,
                   days_ago: float | None = 0) -> Attempt:  # fmt: skip
    """A submitted attempt, graded by the real service.

    ``picks`` lists, per question in order, the chosen choice texts without their number
    ("right", "wrong A", "wrong B", or a list of them); or ``answers`` maps question ids to
    choice ids; ``confidences`` lists, per question in order, how sure the learner was ("sure",
    "think_so", "guessing" or ""). The attempt is moved ``days_ago`` days into the past
    (started five minutes before it was submitted); ``days_ago=None`` keeps the times of the
    grading.
    """
    questions = questions_with_choices(quiz)
    if answers is None:
        answers = {}
        for question, pick in zip(questions, picks, strict=True):
            wanted = [pick] if isinstance(pick, str) else list(pick)
            answers[question.pk] = {
                c.pk for c in question.choices.all() if c.text.rsplit(" (", 1)[0] in wanted
            }
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz))
    attempt = quiz_services.issue_attempt(user=user, quiz=quiz, questions=questions, attempts=attempts)
    sure = dict(zip((q.pk for q in questions), confidences or (), strict=False))
    attempt = quiz_services.submit_attempt(
        attempt=attempt, answers=answers, questions=questions, confidences=sure
    ).attempt
    if days_ago is not None:
        Attempt.objects.filter(pk=attempt.pk).update(
            submitted_at=at(days_ago=days_ago),
            started_at=at(days_ago=days_ago) - datetime.timedelta(minutes=5),
        )
        attempt.refresh_from_db()
    return attempt


# -- activity --------------------------------------------------------------------------------


def complete_lessons(*, user, lessons: Iterable[Lesson], days_ago: float = 0
                     ) -> list[LessonCompletion]:  # fmt: skip
    """Completions of ``lessons`` by ``user``, as rows (no enrolment), ``days_ago`` days ago."""
    completions = []
    for lesson in lessons:
        completion = LessonCompletion.objects.create(user=user, lesson=lesson)
        LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=at(days_ago=days_ago))
        completion.refresh_from_db()
        completions.append(completion)
    return completions


def visit(*, user, lesson: Lesson) -> None:
    """What a signed-in view of ``lesson`` records (``lessons.services.record_visit``)."""
    record_visit(user=user, course_slug=lesson.course.slug, lesson_slug=lesson.slug)


def enrol(*, user, course: Course, days_ago: float = 0) -> Enrollment:
    enrollment = Enrollment.objects.create(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at(days_ago=days_ago))
    enrollment.refresh_from_db()
    return enrollment


# -- matrices --------------------------------------------------------------------------------


def make_matrix(*, slug: str = "base-strength", title: str | None = None,
                rows: Sequence = ("Domain coverage", "Output format"),
                columns: Sequence = ("Weak base", "Strong base"),
                winners: Sequence[str] | None = None, verdict: str = "Fine-tune wins",
                published: bool = True) -> list[MatrixCell]:  # fmt: skip
    """A matrix with one cell per row and column; return its cells, row by row.

    A row or column is a label (keyed ``r<n>`` or ``c<n>``) or a ``(key, label)`` pair; the
    first column is the default one. ``winners`` gives each column's winner (fine-tune in all
    of them unless told).
    """
    matrix = DecisionMatrix.objects.create(
        slug=slug, title=title or f"Matrix {slug}", is_published=published
    )
    winners = winners or [Winner.FINE_TUNE] * len(columns)
    column_rows = [
        MatrixColumn.objects.create(matrix=matrix, key=key, label=label, order=n, is_default=n == 0)
        for n, (key, label) in enumerate(_keyed(columns, "c"))
    ]
    cells = []
    for n, (key, label) in enumerate(_keyed(rows, "r")):
        row = MatrixRow.objects.create(matrix=matrix, key=key, label=label, order=n)
        for column, winner in zip(column_rows, winners, strict=True):
            cells.append(MatrixCell.objects.create(
                row=row, column=column, verdict=verdict, winner=winner, explanation="Why.",
            ))  # fmt: skip
    return cells


def _keyed(items: Sequence, prefix: str) -> list[tuple[str, str]]:
    return [item if isinstance(item, tuple) else (f"{prefix}{n}", item) for n, item in enumerate(items)]


def predict(*, user, cell: MatrixCell, right: bool, first: bool = True, confidence: str = "") -> MatrixPrediction:
    """One prediction row for ``cell``: right (its verdict) or wrong (another verdict)."""
    wrong = "No difference" if cell.verdict != "No difference" else "Fine-tune wins"
    verdict = cell.verdict if right else wrong
    return MatrixPrediction.objects.create(
        user=user, cell=cell, verdict=verdict, confidence=confidence, is_correct=right, is_first=first
    )


def submit_predictions(*, user, matrix: DecisionMatrix, column: MatrixColumn | None = None,
                       verdict: str | None = None, confidence: str = "") -> uuid.UUID:  # fmt: skip
    """Predict ``verdict`` (the matrix's first verdict unless told) for every row of ``column``
    (the first hidden one unless told), through the real service; return the submission id."""
    grid = matrix_grid(slug=matrix.slug, include_drafts=True)
    column = column or grid.hidden_columns[0]
    verdict = verdict or verdict_choices(grid)[0]
    return record_predictions(
        user=user, matrix=matrix, column=column, grid=grid, confidence=confidence,
        predictions={row.key: verdict for row in grid.rows},
    )  # fmt: skip


# -- practice blocks -------------------------------------------------------------------------


def make_block(*, course: Course, slug: str | None = None, kind: str = "check",
               answer_kind: str = "single", title: str | None = None,
               picks: Sequence[tuple[str, bool]] = PICKS) -> Block:  # fmt: skip
    """A block of ``course``: a check (or predict block) with ``picks`` as its choices."""
    slug = slug or f"block-{next(_numbers)}"
    block = Block.objects.create(
        course=course, slug=slug, kind=kind, answer_kind=answer_kind,
        title=title or f"Block {slug}", prompt=f"PROMPT-{slug}: which is it?",
        scenario=f"SCENARIO-{slug}." if kind == "predict" else "",
        explanation=f"OUTCOME-{slug}: what happened and why.",
    )  # fmt: skip
    if answer_kind != "text":
        if answer_kind == "true_false":
            picks = [("True", True), ("False", False)]
        for order, (text, right) in enumerate(picks, start=1):
            BlockChoice.objects.create(
                block=block, order=order, text=text, is_correct=right, feedback=f"FEEDBACK {text}"
            )
    return block


def block_choice(block: Block, text: str) -> BlockChoice:
    return block.choices.get(text=text)


# -- objectives and mastery evidence ---------------------------------------------------------


def make_objective(*, lesson: Lesson, key: str | None = None, text: str | None = None,
                   order: int = 0) -> Objective:  # fmt: skip
    """A learning objective of ``lesson``."""
    key = key or f"objective-{next(_numbers)}"
    return Objective.objects.create(lesson=lesson, key=key, text=text or f"Do {key}", order=order)


def answer_block(*, user, block: Block, right: bool, confidence: str = "", first: bool = True,
                 days_ago: float = 0) -> BlockAnswer:  # fmt: skip
    """A learner's answer to ``block`` (its first try unless ``first=False``), right or not."""
    answer = BlockAnswer.objects.create(
        user=user, block=block, is_correct=right, confidence=confidence, is_first=first,
        token=uuid.uuid4(),
    )  # fmt: skip
    BlockAnswer.objects.filter(pk=answer.pk).update(answered_at=at(days_ago=days_ago))
    answer.refresh_from_db()
    return answer


# -- review cards ----------------------------------------------------------------------------


def make_card(*, user, item, due: datetime.datetime | None = None, right: bool = True,
              confidence: str = "") -> Card:  # fmt: skip
    """``user``'s card for ``item`` (a Block or a Question), first answered ``right`` or not,
    then moved to ``due`` (by default: due now)."""
    now = timezone.now()
    kind = "block" if isinstance(item, Block) else "question"
    scheduled = schedule(None, rating_for(is_correct=right, confidence=confidence), now=now)
    card = Card.objects.create(
        user=user, **{kind: item}, fsrs=scheduled.fsrs, due=due or now,
        stability=scheduled.stability, difficulty=scheduled.difficulty, state=scheduled.state,
        last_review=scheduled.last_review,
    )  # fmt: skip
    return card


def make_cards(*, user, items: Sequence, due: datetime.datetime) -> None:
    """Many cards at once (for query budgets): one per item, each due at ``due``."""
    now = timezone.now()
    scheduled = schedule(None, rating_for(is_correct=True, confidence=""), now=now)
    Card.objects.bulk_create(
        Card(user=user, **{"block" if isinstance(item, Block) else "question": item},
             fsrs=scheduled.fsrs, due=due, state=scheduled.state)
        for item in items
    )  # fmt: skip
