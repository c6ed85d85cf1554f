"""core/events.py: answers announced after commit, one signal each, batched for batch receivers."""

import datetime

import pytest

from core import events

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def answer(item, **extra):
    fields = {"user": "ann", "item": item, "is_correct": True, "confidence": "",
              "answered_at": NOW, "first_try": True, "source": "check"} | extra  # fmt: skip
    return events.Answer(**fields)


@pytest.fixture
def received():
    """Only this test's receivers (the apps' own, such as review's, are set aside)."""
    signal = events.answer_recorded
    saved, signal.receivers = signal.receivers, []
    signal.sender_receivers_cache.clear()
    plain, batches = [], []

    def plain_receiver(sender, **payload):
        plain.append(payload)

    batch_receiver = events.batched(batches.append)
    events.answer_recorded.connect(plain_receiver)
    events.answer_recorded.connect(batch_receiver, weak=False)
    yield plain, batches
    signal.receivers = saved
    signal.sender_receivers_cache.clear()


def test_each_answer_is_one_signal_and_a_batch_receiver_gets_them_together(received):
    plain, batches = received
    events.send([answer("q1"), answer("q2", is_correct=False)], sender=object)
    assert [p["item"] for p in plain] == ["q1", "q2"]
    assert set(plain[0]) == {"user", "item", "is_correct", "confidence", "answered_at",
                             "first_try", "source", "signal"}  # fmt: skip
    assert [[a.item for a in batch] for batch in batches] == [["q1", "q2"]]


def test_a_signal_sent_on_its_own_reaches_a_batch_receiver_as_a_list_of_one(received):
    _, batches = received
    events.answer_recorded.send(sender=object, **answer("q1").payload())
    assert [[a.item for a in batch] for batch in batches] == [["q1"]]


@pytest.mark.django_db
def test_announcing_waits_for_the_commit(received, django_capture_on_commit_callbacks):
    plain, _ = received
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.announce([answer("q1")], sender=object)
        assert plain == []
    assert len(callbacks) == 1 and len(plain) == 1


@pytest.mark.django_db
def test_nothing_is_announced_when_the_transaction_rolls_back(received):
    from django.db import transaction

    plain, _ = received
    with transaction.atomic():
        events.announce([answer("q1")], sender=object)
        transaction.set_rollback(True)
    assert plain == []
