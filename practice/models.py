"""Blocks that lessons embed (inline checks, predict-then-reveal) and learners' answers to them.

Everything later features read is here: a ``BlockAnswer`` per try, with the choices picked,
right or not, confidence and time, and ``is_first`` marking the one try that analytics count
(one per learner and block, guaranteed by a partial unique constraint). ``BlockPlacement``
records which lessons embed which blocks, kept in step with lesson bodies by
``practice.signals``, so "k of n answered" and completion are one query each.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.confidence import Confidence
from core.rendering import render_markdown


class Block(models.Model):
    """A Block is a short interactive piece of a course that lessons embed by its slug.

    An inline check (``[[check:<slug>]]``) asks one question with feedback on every choice; a
    predict block (``[[predict:<slug>]]``) shows a scenario, asks for a prediction, and only
    then reveals the outcome (``explanation``).
    """

    MAX_TEXT_ANSWER = 1_000
    MAX_CHOICES = 8

    class Kind(models.TextChoices):
        CHECK = "check", "Inline check"
        PREDICT = "predict", "Predict, then reveal"

    class AnswerKind(models.TextChoices):
        SINGLE = "single", "One choice"
        MULTIPLE = "multiple", "Several choices"
        TRUE_FALSE = "true_false", "True or false"
        TEXT = "text", "In their own words (predict blocks only)"

    slug = models.SlugField(
        unique=True, help_text="Embed with [[check:<slug>]] or [[predict:<slug>]]."
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="practice_blocks"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.CHECK)
    answer_kind = models.CharField(max_length=12, choices=AnswerKind, default=AnswerKind.SINGLE)
    title = models.CharField(max_length=200, help_text="A short heading learners see.")
    prompt = models.TextField(help_text="Markdown: the question, or what to predict.")
    prompt_html = models.TextField(blank=True, editable=False)
    scenario = models.TextField(
        blank=True, help_text="Markdown: the worked example or scenario (predict blocks)."
    )
    scenario_html = models.TextField(blank=True, editable=False)
    explanation = models.TextField(
        blank=True,
        help_text="Markdown: the outcome revealed after predicting (required for predict "
        "blocks), or why the answer is right (checks).",
    )
    explanation_html = models.TextField(blank=True, editable=False)
    objectives = models.ManyToManyField(
        "lessons.Objective",
        blank=True,
        related_name="blocks",
        help_text="The objectives of this block's course that it tests (mastery counts it).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["prompt_html", "scenario_html", "explanation_html"]
    )

    class Meta:
        ordering = ["course", "slug"]

    def __str__(self):
        return f"{self.get_kind_display()} “{self.title}”"

    def save(self, *args, **kwargs):
        self.prompt_html = render_markdown(self.prompt)
        self.scenario_html = render_markdown(self.scenario)
        self.explanation_html = render_markdown(self.explanation)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practice:block", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        from .validation import block_problems

        problems = block_problems(
            kind=self.kind, answer_kind=self.answer_kind, explanation=self.explanation
        )
        if problems:
            raise ValidationError(problems)

    @property
    def anchor(self) -> str:
        """The id of the block on a page, e.g. ``check-format-first``."""
        return f"{self.kind}-{self.slug}"

    @property
    def has_choices(self) -> bool:
        return self.answer_kind != self.AnswerKind.TEXT


class BlockChoice(models.Model):
    """A BlockChoice is one answer a block offers, right or not, with feedback on picking it."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField("right", default=False)
    feedback = models.TextField(
        blank=True, help_text="Plain text: why this choice is right or wrong (checks need it)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["block", "order", "id"]

    def __str__(self):
        return self.text


class BlockAnswer(models.Model):
    """A BlockAnswer is one try of a learner at a block: what they chose or wrote, and how sure.

    Every try is kept; ``is_first`` marks the first, the one item analysis and mastery count.
    ``is_correct`` is None for an answer in the learner's own words. ``token`` comes from the
    form, so the same form sent twice stores one answer.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="block_answers"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(BlockChoice, blank=True, related_name="answers")
    text = models.TextField(blank=True)
    is_correct = models.BooleanField(null=True)
    confidence = models.CharField(max_length=10, choices=Confidence, blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)
    is_first = models.BooleanField(default=False)
    token = models.UUIDField(help_text="The submitting form's token: a double submit stores once.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "block"],
                condition=models.Q(is_first=True),
                name="one_first_answer_per_block",
            ),
            models.UniqueConstraint(fields=["user", "token"], name="unique_answer_token"),
        ]
        indexes = [
            models.Index(fields=["user", "block", "answered_at"]),
            models.Index(fields=["block", "is_first"]),
        ]

    def __str__(self):
        return f"{self.user} answered {self.block.slug}"


class BlockPlacement(models.Model):
    """A BlockPlacement records that a lesson's body embeds a block (derived, never edited)."""

    lesson = models.ForeignKey(
        "lessons.Lesson", on_delete=models.CASCADE, related_name="practice_placements"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="placements")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "block"], name="unique_block_placement")
        ]

    def __str__(self):
        return f"{self.block.slug} in lesson {self.lesson_id}"
