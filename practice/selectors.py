"""Reads of the practice app, shaped for the page: each function is one query.

- ``blocks_with_choices(slugs)``: the blocks and their choices in one query (a left join read
  as values, so a block without choices, an answer in words, comes back too);
- ``latest_answers(user, block_ids)``: each block's latest answer by the learner, with the
  ids of the choices it picked, in one query;
- ``lesson_tallies(user, ...)``: per lesson, how many of its blocks the learner has answered.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from .models import Block, BlockAnswer, BlockChoice, BlockPlacement

BLOCK_FIELDS = (
    "id", "slug", "course_id", "kind", "answer_kind", "title", "prompt_html", "scenario_html",
    "explanation_html", "updated_at",
)  # fmt: skip
CHOICE_FIELDS = ("id", "order", "text", "is_correct", "feedback")
ANSWER_FIELDS = (
    "id", "block_id", "text", "is_correct", "confidence", "answered_at", "is_first", "token",
)  # fmt: skip


def blocks_with_choices(slugs: Iterable[str], *, with_course: bool = False) -> dict[str, Block]:
    """The blocks of ``slugs`` by slug, each with ``choice_list`` in order; one query.

    ``with_course`` adds ``course_published`` (whether learners may see the block's course).
    """
    slugs = list(slugs)
    if not slugs:
        return {}
    fields = [*BLOCK_FIELDS, *(f"choices__{name}" for name in CHOICE_FIELDS)]
    if with_course:
        fields.append("course__is_published")
    rows = (
        Block.objects.filter(slug__in=slugs)
        .order_by("id", "choices__order", "choices__id")
        .values_list(*fields)
    )
    blocks: dict[str, Block] = {}
    width = len(BLOCK_FIELDS)
    for row in rows:
        values = dict(zip(BLOCK_FIELDS, row[:width], strict=True))
        block = blocks.get(values["slug"])
        if block is None:
            block = Block(**values)
            block.choice_list = []
            if with_course:
                block.course_published = row[-1]
            blocks[block.slug] = block
        choice = dict(zip(CHOICE_FIELDS, row[width : width + len(CHOICE_FIELDS)], strict=True))
        if choice["id"] is not None:
            block.choice_list.append(BlockChoice(block_id=block.pk, **choice))
    return blocks


def latest_answers(*, user, block_ids: Iterable[int]) -> dict[int, BlockAnswer]:
    """Each block's latest answer by ``user``, by block id, with ``chosen_ids``; one query."""
    block_ids = list(block_ids)
    if not block_ids or not user.is_authenticated:
        return {}
    latest = (
        BlockAnswer.objects.filter(user=user, block=OuterRef("block"))
        .order_by("-answered_at", "-id")
        .values("id")[:1]
    )
    rows = (
        BlockAnswer.objects.filter(user=user, block_id__in=block_ids, id=Subquery(latest))
        .order_by("id", "choices__id")
        .values_list(*ANSWER_FIELDS, "choices__id")
    )
    answers: dict[int, BlockAnswer] = {}
    for row in rows:
        values = dict(zip(ANSWER_FIELDS, row[:-1], strict=True))
        answer = answers.get(values["block_id"])
        if answer is None:
            answer = BlockAnswer(user_id=user.pk, **values)
            answer.chosen_ids = set()
            answers[answer.block_id] = answer
        if row[-1] is not None:
            answer.chosen_ids.add(row[-1])
    return answers


@dataclass(frozen=True)
class LessonTally:
    """How many of one lesson's blocks a learner has answered (at least once)."""

    lesson_id: int
    title: str
    slug: str
    order: int
    answered: int
    total: int
    done: bool = False  # the learner has completed the lesson already
    this_answered: bool = False  # the block asked about was answered before
    course_slug: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def course_tallies(*, user, course) -> list[LessonTally]:
    """Per published lesson of ``course`` that embeds blocks, what ``user`` answered; one query."""
    rows = (
        BlockPlacement.objects.filter(lesson__course=course, lesson__status="published")
        .values("lesson_id", "lesson__title", "lesson__slug", "lesson__order")
        .annotate(
            total=Count("block_id", distinct=True),
            answered=Count("block_id", distinct=True, filter=Q(block__answers__user=user)),
        )
        .order_by("lesson__order", "lesson_id")
    )
    return [
        LessonTally(
            lesson_id=row["lesson_id"],
            title=row["lesson__title"],
            slug=row["lesson__slug"],
            order=row["lesson__order"],
            answered=row["answered"],
            total=row["total"],
        )
        for row in rows
    ]


def tallies_for_block(*, user, block: Block) -> list[LessonTally]:
    """The published lessons of ``block``'s course that embed it, with what ``user`` answered
    in each (before any answer being stored now) and whether they completed it; one query."""
    lessons = BlockPlacement.objects.filter(
        block_id=block.pk,
        lesson__course_id=block.course_id,
        lesson__status="published",
        lesson__course__is_published=True,
    ).values("lesson_id")
    rows = (
        BlockPlacement.objects.filter(lesson_id__in=Subquery(lessons))
        .values(
            "lesson_id", "lesson__title", "lesson__slug", "lesson__order", "lesson__course__slug"
        )
        .annotate(
            total=Count("block_id", distinct=True),
            answered=Count("block_id", distinct=True, filter=Q(block__answers__user=user)),
            this=Count("block__answers", filter=Q(block_id=block.pk, block__answers__user=user)),
            done=Count("lesson__completions", filter=Q(lesson__completions__user=user)),
        )
        .order_by("lesson__order", "lesson_id")
    )
    return [
        LessonTally(
            lesson_id=row["lesson_id"],
            title=row["lesson__title"],
            slug=row["lesson__slug"],
            order=row["lesson__order"],
            answered=row["answered"],
            total=row["total"],
            done=row["done"] > 0,
            this_answered=row["this"] > 0,
            course_slug=row["lesson__course__slug"],
        )
        for row in rows
    ]
