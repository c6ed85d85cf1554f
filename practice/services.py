"""Writes of the practice app: storing a learner's answer to a block, and what follows from it.

``answer_block`` stores one try. The first try of a learner at a block is ``is_first``; a
partial unique constraint keeps it to one even when two tabs post at once (the loser of the
race is stored as a later try). The form's token makes a double submit store one answer: the
same answer under the same token is the stored one again; a different answer under a used
token is refused. Once every block that a published lesson embeds is answered, the lesson is
completed through ``lessons.services.complete_lessons``. A stored answer is announced with
``core.events.answer_recorded`` once it is committed (a replayed double submit is not).
"""

from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction

from core import events
from lessons.models import Lesson
from lessons.services import complete_lessons

from .grading import AnswerRefused, Submission, grade
from .models import Block, BlockAnswer
from .selectors import LessonTally, tallies_for_block

# Tries at storing one answer while concurrent first answers keep winning the race.
MAX_SAVE_ATTEMPTS = 3


@dataclass
class Stored:
    """What ``answer_block`` stored (or found stored under the same token) and what followed."""

    answer: BlockAnswer
    created: bool
    tallies: list[LessonTally] = field(default_factory=list)  # after this answer
    completed: list[int] = field(default_factory=list)  # lesson ids completed by this answer


def _same(answer: BlockAnswer, submission: Submission) -> bool:
    chosen = set(answer.choices.values_list("id", flat=True))
    return (
        chosen == set(submission.choice_ids)
        and answer.text == submission.text
        and answer.confidence == submission.confidence
    )


def _replay(*, user, block: Block, submission: Submission) -> Stored | None:
    """The answer already stored under this form's token, or None if there is none."""
    existing = BlockAnswer.objects.filter(user=user, token=submission.token).first()
    if existing is None:
        return None
    if existing.block_id != block.pk or not _same(existing, submission):
        raise AnswerRefused(
            "This form was already sent with another answer. Use “Try again” for a fresh form.",
            status=409,
        )
    existing.chosen_ids = set(submission.choice_ids)
    return Stored(answer=existing, created=False)


def _after(tallies: list[LessonTally]) -> list[LessonTally]:
    """The tallies once the block asked about counts as answered."""
    return [
        replace(t, answered=t.answered + (0 if t.this_answered else 1), this_answered=True)
        for t in tallies
    ]


def answer_block(*, user, block: Block, submission: Submission) -> Stored:
    """Store ``user``'s answer to ``block`` and complete the lessons it finishes.

    ``block`` needs ``choice_list`` (``selectors.blocks_with_choices``); ``submission`` was
    checked by ``grading.read_answer`` against it. Raises ``AnswerRefused`` (409) when the
    token was already used for a different answer; nothing is stored then.
    """
    correct_ids = {choice.pk for choice in block.choice_list if choice.is_correct}
    is_correct = grade(
        answer_kind=block.answer_kind, correct_ids=correct_ids, choice_ids=submission.choice_ids
    )
    for attempt in range(1, MAX_SAVE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                tallies = tallies_for_block(user=user, block=block)
                if tallies:
                    answered_before = tallies[0].this_answered
                else:  # embedded in no published lesson: ask directly
                    answered_before = BlockAnswer.objects.filter(
                        user=user, block=block, is_first=True
                    ).exists()
                answer = BlockAnswer.objects.create(
                    user=user,
                    block=block,
                    text=submission.text,
                    is_correct=is_correct,
                    confidence=submission.confidence,
                    is_first=not answered_before,
                    token=submission.token,
                )
                if submission.choice_ids:
                    Through = BlockAnswer.choices.through
                    Through.objects.bulk_create(
                        Through(blockanswer_id=answer.pk, blockchoice_id=choice_id)
                        for choice_id in submission.choice_ids
                    )
            break
        except IntegrityError:
            # The token was used already (a double submit), or another tab stored the first
            # answer after we looked: replay the first, or store ours again as a later try.
            replayed = _replay(user=user, block=block, submission=submission)
            if replayed is not None:
                return replayed
            if attempt == MAX_SAVE_ATTEMPTS:
                raise
    answer.chosen_ids = set(submission.choice_ids)
    events.announce(
        [
            events.Answer(
                user=user, item=block, is_correct=is_correct, confidence=answer.confidence,
                answered_at=answer.answered_at, first_try=answer.is_first, source=block.kind,
            )  # fmt: skip
        ],
        sender=Block,
    )
    tallies = _after(tallies)
    completed = [tally.lesson_id for tally in tallies if tally.complete and not tally.done]
    # Outside the answer's transaction: the answer stands even if this fails, and the next
    # answer in the lesson tries again (completing is idempotent).
    complete_lessons(
        user=user,
        lessons=[Lesson(pk=lesson_id, course_id=block.course_id) for lesson_id in completed],
    )
    return Stored(answer=answer, created=True, tallies=tallies, completed=completed)
