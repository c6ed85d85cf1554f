"""What a team gets wrong: item analysis of quiz questions and misconception maps of matrix cells.

Both read first tries only (a member's earliest submitted attempt, their first prediction of
a cell), so practice does not hide what the team did not know.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from core.confidence import Confidence
from matrix.models import MatrixCell
from quizzes.models import Attempt, Choice, Question, Quiz, Response

from ..item_analysis import Answer, ItemStats, analyse_quiz


@dataclass
class CellShare:
    """The share of members whose first prediction for one matrix cell was right (its verdict),
    and how many were sure but wrong."""

    cell: MatrixCell
    predicted: int
    right: int
    confidently_wrong: int = 0

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
        "confidence",
        "chosen__pk",
    )
    responses: dict[int, tuple] = {}
    wrong: dict[int, list[int]] = defaultdict(list)
    for pk, question_id, is_correct, user_id, quiz_id, score, confidence, chosen_pk in rows:
        if pk not in responses:
            responses[pk] = (question_id, is_correct, user_id, quiz_id, score, confidence)
        chosen = choices.get(chosen_pk)
        if chosen is not None and not chosen.is_correct:
            wrong[pk].append(chosen_pk)
    answers: dict[int, list[Answer]] = defaultdict(list)
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, (question_id, is_correct, user_id, quiz_id, score, confidence) in responses.items():
        answers[quiz_id].append(
            Answer(
                user_id=user_id,
                question_id=question_id,
                is_correct=is_correct,
                chosen_wrong=tuple(wrong.get(pk, ())),
                confidence=confidence,
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
    so it is never predicted), how many users predicted it first, how many right, and how many
    wrong though they said they were sure.

    A prediction is right when it is the cell's verdict (``MatrixPrediction.is_correct``, kept
    true to the cell by ``MatrixCell.save``); one made before verdicts were asked for keeps the
    mark it was given by winner.
    """
    first = Q(predictions__is_first=True, predictions__user_id__in=user_ids)
    sure_but_wrong = Q(predictions__is_correct=False, predictions__confidence=Confidence.SURE)
    cells = (
        MatrixCell.objects.filter(row__matrix__is_published=True, column__is_default=False)
        .select_related("row__matrix", "column")
        .annotate(
            predicted=Count("predictions", filter=first),
            right=Count("predictions", filter=first & Q(predictions__is_correct=True)),
            confidently_wrong=Count("predictions", filter=first & sure_but_wrong),
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
            cell=cell,
            predicted=cell.predicted,
            right=cell.right,
            confidently_wrong=cell.confidently_wrong,
        )
    for matrix_id, matrix_map in maps.items():
        matrix_map.columns = {pk: label for _, pk, label in sorted(set(columns[matrix_id]))}
    return list(maps.values())
