"""The review app: learners' cards, scheduled with FSRS, and the /review/ queue."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review queue"

    def ready(self):
        from core import events

        from .services import record_answers

        # Every stored answer below us (checks, predictions, quiz questions) schedules a card.
        events.answer_recorded.connect(
            events.batched(record_answers), weak=False, dispatch_uid="review.record_answers"
        )
