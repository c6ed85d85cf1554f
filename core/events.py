"""Events that an app announces and apps above it act on, without the lower one importing them.

``answer_recorded`` is sent once for every answer a learner gives that is stored: an inline
check or a predict block (``practice``), a quiz question (``quizzes``, exam or practice mode)
and a review (``review``). It is sent after the transaction that stored the answer commits, so
a receiver never sees an answer that was rolled back. Its keyword arguments:

- ``user``: the learner;
- ``item``: what was answered, a ``practice.Block`` or a ``quizzes.Question``;
- ``is_correct``: True or False, or None for an answer in the learner's own words (a predict
  block answered in words, which has no right or wrong);
- ``confidence``: "sure", "think_so", "guessing", or "" when not given (``core.confidence``);
- ``answered_at``: an aware datetime;
- ``first_try``: True for the learner's first answer to the item (the one analytics count);
- ``source``: "check", "predict", "quiz" or "review".

Senders call ``announce(answers, sender=...)``: it sends one signal per answer once the
current transaction commits (at once outside one). The answers of one call form a batch: a
receiver connected through ``batched(handler)`` gets them together, as one list, so a quiz of
any number of questions costs it a fixed number of queries; a plain receiver is called once
per answer as usual.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields

from django.db import transaction
from django.dispatch import Signal

answer_recorded = Signal()

SOURCES = ("check", "predict", "quiz", "review")


@dataclass(frozen=True)
class Answer:
    """One recorded answer: the payload of ``answer_recorded``."""

    user: object
    item: object
    is_correct: bool | None
    confidence: str
    answered_at: datetime.datetime
    first_try: bool
    source: str

    def payload(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_state = threading.local()


@contextmanager
def batch():
    """Deliver the answers sent inside to each ``batched`` handler together, at the end."""
    if getattr(_state, "pending", None) is not None:  # nested: the outer batch delivers
        yield
        return
    _state.pending = {}
    try:
        yield
        pending, _state.pending = _state.pending, None
        for handler, answers in pending.items():
            handler(answers)
    finally:
        _state.pending = None


def send(answers: Sequence[Answer], *, sender) -> None:
    """Send ``answer_recorded`` once per answer, now, as one batch."""
    with batch():
        for answer in answers:
            answer_recorded.send(sender=sender, **answer.payload())


def announce(answers: Sequence[Answer], *, sender) -> None:
    """Send the answers once the current transaction commits (at once outside one)."""
    answers = list(answers)
    if answers:
        transaction.on_commit(lambda: send(answers, sender=sender))


def batched(handler: Callable[[list[Answer]], None]) -> Callable[..., None]:
    """A receiver for ``answer_recorded`` that hands ``handler`` lists of answers.

    Inside ``batch()`` (every ``announce``) the answers of the batch come in one list at its
    end; a signal sent on its own comes as a list of one. Connect it with ``weak=False``.
    """

    def receiver(sender, **payload):
        answer = Answer(**{f.name: payload[f.name] for f in fields(Answer)})
        pending = getattr(_state, "pending", None)
        if pending is None:
            handler([answer])
        else:
            pending.setdefault(handler, []).append(answer)

    return receiver
