"""Decision matrices: conditions x base-model strength, who wins each cell, and learners' predictions."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.confidence import Confidence, is_confidently_wrong
from core.rendering import render_markdown

from . import advice


def normalise_newlines(text: str) -> str:
    """Browsers send textarea lines ending in CRLF; files and exports use LF only."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


class Winner(models.TextChoices):
    FINE_TUNE = "fine_tune", "Fine-tuning"
    GENERALIST = "generalist", "The generalist"
    NO_DIFFERENCE = "no_difference", "No difference"


class DecisionMatrix(models.Model):
    """A DecisionMatrix lays conditions (rows) against base-model strengths (columns)."""

    MAX_COLUMNS = 5
    MAX_ROWS = 12

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown, shown above the widget.")
    description_html = models.TextField(blank=True, editable=False)
    is_published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "decision matrices"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description = normalise_newlines(self.description)
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("matrix:detail", kwargs={"matrix": self.slug})

    def clean(self):
        if not self.is_published:
            return
        if self.pk is None:
            raise ValidationError(
                {
                    "is_published": "Save the matrix as a draft first, add its columns, rows and "
                    "cells, then publish it."
                }
            )
        problems = self.publishing_problems()
        if problems:
            raise ValidationError({"is_published": problems})

    def publishing_problems(self) -> list[str]:
        """What stops this matrix from being published, by the rule in ``matrix.validation``."""
        # Imported here: the validation module reads this model's limits.
        from .validation import matrix_problems

        columns = list(self.columns.all())
        rows = list(self.rows.all())
        column_at = {column.pk: n for n, column in enumerate(columns)}
        row_at = {row.pk: n for n, row in enumerate(rows)}
        present = MatrixCell.objects.filter(row__matrix=self).values_list("row_id", "column_id")
        return matrix_problems(
            published=True,
            columns=[(column.label, column.is_default) for column in columns],
            rows=[row.label for row in rows],
            cells={
                (row_at[row_id], column_at[column_id])
                for row_id, column_id in present
                if row_id in row_at and column_id in column_at
            },
        )


class MatrixColumn(models.Model):
    """A MatrixColumn is one level of base-model strength, such as "weak" or "strong"."""

    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="columns")
    key = models.SlugField(help_text="Used in the URL: ?base=<key>.")
    label = models.CharField(max_length=100)
    order = models.PositiveIntegerField(default=0)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["matrix", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "key"], name="unique_column_key"),
        ]

    def __str__(self):
        return self.label


class MatrixRow(models.Model):
    """A MatrixRow is one condition, such as domain coverage or regulatory audit."""

    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="rows")
    key = models.SlugField()
    label = models.CharField(max_length=100)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["matrix", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "key"], name="unique_row_key"),
        ]

    def __str__(self):
        return self.label


class MatrixCell(models.Model):
    """A MatrixCell says who wins one condition at one base strength, and why."""

    MAX_VERDICT_LENGTH = 60
    MAX_EXPLANATION_LENGTH = 2000

    row = models.ForeignKey(MatrixRow, on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(MatrixColumn, on_delete=models.CASCADE, related_name="cells")
    verdict = models.CharField(
        max_length=MAX_VERDICT_LENGTH,
        help_text='A short label, e.g. "Fine-tune wins". Learners predict it, choosing among the '
        "matrix's verdicts: spell the same answer the same way in every cell. Changing it re-marks "
        "the predictions made for this cell.",
    )
    winner = models.CharField(max_length=20, choices=Winner)
    explanation = models.TextField(
        max_length=MAX_EXPLANATION_LENGTH, help_text="Markdown: why this side wins here."
    )
    explanation_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["row__order", "column__order"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="unique_cell"),
        ]

    def __str__(self):
        return f"{self.row} / {self.column}: {self.verdict}"

    def save(self, *args, **kwargs):
        self.explanation = normalise_newlines(self.explanation)
        self.explanation_html = render_markdown(self.explanation)
        created = self._state.adding
        super().save(*args, **kwargs)
        if not created:
            # When an instructor corrects a cell, learners' predictions are marked against the
            # corrected answer, so team results stay true: by verdict, or for a prediction made
            # before verdicts were asked for, by winner.
            self.predictions.update(
                is_correct=models.Case(
                    models.When(verdict="", predicted=self.winner, then=models.Value(True)),
                    models.When(verdict=self.verdict, then=models.Value(True)),
                    default=models.Value(False),
                )
            )


class MatrixPrediction(models.Model):
    """A MatrixPrediction is a learner's guess of a cell's verdict, made before it is revealed.

    Every try is kept; ``is_first`` marks the one team analytics use. The predictions sent
    together in one form share a ``submission`` id, which is how the reveal finds them, and
    the one confidence given for them. Predictions made before verdicts were asked for have a
    blank ``verdict`` and a ``predicted`` winner, and keep the mark they were given by winner.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matrix_predictions"
    )
    cell = models.ForeignKey(MatrixCell, on_delete=models.CASCADE, related_name="predictions")
    verdict = models.CharField(
        max_length=MatrixCell.MAX_VERDICT_LENGTH,
        blank=True,
        help_text="The verdict the learner chose; blank for a prediction of the winner only.",
    )
    predicted = models.CharField(
        max_length=20,
        choices=Winner,
        blank=True,
        help_text="Before verdicts were asked for: the winner the learner chose.",
    )
    confidence = models.CharField(
        max_length=10,
        choices=Confidence,
        blank=True,
        help_text="How sure the learner said they were.",
    )
    is_correct = models.BooleanField()
    is_first = models.BooleanField(default=False)
    submission = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cell"],
                condition=models.Q(is_first=True),
                name="one_first_prediction_per_cell",
            ),
        ]
        indexes = [models.Index(fields=["user", "cell"])]

    def __str__(self):
        return f"{self.user}: {self.cell} -> {self.answer_label}"

    @property
    def answer_label(self) -> str:
        """What the learner chose: the verdict, or for an older prediction the winner."""
        return self.verdict or self.get_predicted_display()

    @property
    def is_confidently_wrong(self) -> bool:
        return is_confidently_wrong(is_correct=self.is_correct, confidence=self.confidence)


class AdvisorPreset(models.Model):
    """An AdvisorPreset fills the scenario advisor with one course track's typical situation."""

    matrix = models.ForeignKey(DecisionMatrix, on_delete=models.CASCADE, related_name="presets")
    key = models.SlugField(help_text="Used in the URL: ?preset=<key>.")
    label = models.CharField(max_length=100)
    course = models.ForeignKey(
        "courses.Course",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advisor_presets",
        help_text="The track this situation comes from; the advisor links to it.",
    )
    order = models.PositiveIntegerField(default=0)
    base = models.CharField(max_length=10, choices=list(advice.STRENGTHS.items()))
    reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="Which of the four situations in which fine-tuning earns its cost apply.",
    )
    perception = models.BooleanField(
        default=False, help_text="Tick when the problem is reading images (perception)."
    )
    note = models.TextField(
        help_text="Markdown: the track's typical situation, in a few sentences."
    )
    note_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["matrix", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "key"], name="unique_preset_key"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # One spelling per set of reasons, in the form's order, so exports are stable.
        self.reasons = [key for key in advice.REASONS if key in set(self.reasons or [])]
        self.note = normalise_newlines(self.note)
        self.note_html = render_markdown(self.note)
        super().save(*args, **kwargs)

    def clean(self):
        if not isinstance(self.reasons, list) or not all(isinstance(r, str) for r in self.reasons):
            raise ValidationError({"reasons": "Give the reasons as a list of keys."})
        unknown = sorted(set(self.reasons) - set(advice.REASONS))
        if unknown:
            known = ", ".join(advice.REASONS)
            raise ValidationError(
                {"reasons": f"Unknown reason {', '.join(unknown)}; the reasons are: {known}."}
            )
