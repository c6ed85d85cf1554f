"""The review queue: one card per learner and answered question, scheduled with FSRS.

A ``Card`` exists for each question a learner has answered with a right or wrong answer (an
inline check or predict block of ``practice``, or a quiz question of ``quizzes``); its FSRS
state says when it is next due. Each rating that moved a card is a ``ReviewLog``. A learner
may turn reviews off (``ReviewSettings``).
"""

from django.conf import settings
from django.db import models

from core.confidence import Confidence


class Card(models.Model):
    """A Card is one question a learner answered, due for review again on ``due``.

    It names its question by exactly one of two links, a practice block or a quiz question,
    and is unique per learner and question. ``fsrs`` holds the scheduler's card as
    ``fsrs.Card.to_dict()``; ``due`` (moved later by a snooze), ``stability``, ``difficulty``,
    ``state`` and ``last_review`` repeat it in columns for queries and the admin.
    """

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    block = models.ForeignKey(
        "practice.Block", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "quizzes.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    fsrs = models.JSONField(default=dict)
    due = models.DateTimeField()
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    state = models.PositiveSmallIntegerField(choices=State, default=State.LEARNING)
    last_review = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(block__isnull=False, question__isnull=True)
                    | models.Q(block__isnull=True, question__isnull=False)
                ),
                name="card_names_one_item",
            ),
            # NULLs are distinct, so each constraint binds only the cards of its kind; plain
            # (not partial) constraints let an answer's upsert name them as its conflict.
            models.UniqueConstraint(fields=["user", "block"], name="one_card_per_block"),
            models.UniqueConstraint(fields=["user", "question"], name="one_card_per_question"),
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self):
        item = f"block {self.block_id}" if self.block_id else f"question {self.question_id}"
        return f"{self.user} on {item}"

    @property
    def item(self):
        return self.block if self.block_id else self.question


class ReviewLog(models.Model):
    """A ReviewLog is one rating that moved a card: from a lesson, a quiz or a review."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs")
    rating = models.PositiveSmallIntegerField(choices=Rating)
    is_correct = models.BooleanField()
    confidence = models.CharField(max_length=10, choices=Confidence, blank=True)
    source = models.CharField(max_length=10)
    chosen = models.JSONField(default=list, blank=True, help_text="Choice ids (reviews only).")
    reviewed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["card", "reviewed_at"])]

    def __str__(self):
        return f"{self.card} rated {self.get_rating_display()}"


class ReviewSettings(models.Model):
    """ReviewSettings hold a learner's choice about reviews: on (the default) or off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_settings"
    )
    reviews_on = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self):
        return f"{self.user}: reviews {'on' if self.reviews_on else 'off'}"
