"""core/bulk.py: plain-row inserts store what bulk_create stores."""

import datetime
import uuid

import pytest
from django.utils import timezone

from core.bulk import insert_rows, last_pk, new_pks
from matrix.models import MatrixPrediction
from quizzes.models import Attempt
from review.models import Card
from tests.factories import make_course, make_matrix, make_person, make_quiz

pytestmark = pytest.mark.django_db


def test_rows_keep_their_times_json_and_nulls_and_get_the_model_defaults():
    ann = make_person(username="ann")
    quiz = make_quiz(course=make_course(slug="c"), slug="q", questions=2)
    started = timezone.now() - datetime.timedelta(days=3, microseconds=7)
    before = last_pk(Attempt)
    assert insert_rows(Attempt, ["user_id", "quiz_id", "started_at", "submitted_at", "question_order", "score", "total",
                                 "percent", "passed"], [
        (ann.pk, quiz.pk, started, started + datetime.timedelta(minutes=5), [3, 1, 2], 1, 2, 50, True),
        (ann.pk, quiz.pk, started, None, [], 0, 0, 0, False),
    ]) == 2  # fmt: skip
    first, second = Attempt.objects.filter(pk__in=new_pks(Attempt, after=before)).order_by("pk")
    assert first.started_at == started and first.submitted_at == started + datetime.timedelta(minutes=5)
    assert first.question_order == [3, 1, 2] and first.passed and first.percent == 50
    assert second.submitted_at is None and second.question_order == []
    # Left out: the model's defaults, as bulk_create would store them.
    reference = Attempt(user=ann, quiz=quiz)
    assert (first.mode, first.is_drawn, first.choice_order) == (reference.mode, reference.is_drawn, reference.choice_order)


def test_a_callable_default_is_called_for_every_row_and_blank_text_is_empty():
    ann = make_person(username="ann")
    cells = make_matrix()
    moment = timezone.now()
    insert_rows(MatrixPrediction, ["user_id", "cell_id", "predicted", "is_correct", "created_at"],
                [(ann.pk, cell.pk, cell.winner, True, moment) for cell in cells])  # fmt: skip
    rows = list(MatrixPrediction.objects.filter(user=ann))
    assert len(rows) == len(cells) and all(isinstance(row.submission, uuid.UUID) for row in rows)
    assert len({row.submission for row in rows}) == len(cells)  # uuid4 per row, as bulk_create
    assert {row.verdict for row in rows} == {""} and {row.confidence for row in rows} == {""}


def test_new_pks_pair_with_the_rows_in_the_order_they_were_sent():
    users = [make_person(username=f"u{n}") for n in range(3)]
    quiz = make_quiz(course=make_course(slug="c"), slug="q", questions=1)
    question = quiz.questions.get()
    before = last_pk(Card)
    now = timezone.now()
    insert_rows(Card, ["user_id", "question_id", "fsrs", "due", "created_at"],
                [(user.pk, question.pk, {"n": n}, now, now) for n, user in enumerate(users)])  # fmt: skip
    ids = new_pks(Card, after=before)
    assert [Card.objects.get(pk=pk).user_id for pk in ids] == [user.pk for user in users]
    assert [Card.objects.get(pk=pk).fsrs for pk in ids] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_a_required_time_left_out_is_refused_before_anything_is_written():
    ann = make_person(username="ann")
    quiz = make_quiz(course=make_course(slug="c"), slug="q", questions=1)
    with pytest.raises(ValueError, match="started_at"):
        insert_rows(Attempt, ["user_id", "quiz_id"], [(ann.pk, quiz.pk)])
    assert not Attempt.objects.exists()
