"""Decision matrices: conditions x base-model strength, who wins each cell, and learners' predictions."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Winner(models.TextChoices):
    FINE_TUNE = "fine_tune", "Fine-tuning"
    GENERALIST = "generalist", "The generalist"
    NO_DIFFERENCE = "no_difference", "No difference"


class DecisionMatrix(models.Model):
    """A DecisionMatrix lays conditions (rows) against base-model strengths (columns)."""

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

    def get_absolute_url(self):
        return reverse("matrix:detail", kwargs={"matrix": self.slug})


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

    row = models.ForeignKey(MatrixRow, on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(MatrixColumn, on_delete=models.CASCADE, related_name="cells")
    verdict = models.CharField(max_length=60)
    winner = models.CharField(max_length=20, choices=Winner)
    explanation = models.TextField()

    class Meta:
        ordering = ["row__order", "column__order"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="unique_cell"),
        ]

    def __str__(self):
        return f"{self.row} / {self.column}: {self.verdict}"


class MatrixPrediction(models.Model):
    """A MatrixPrediction is a learner's guess of a cell's winner, made before it is revealed.

    Every try is kept; ``is_first`` marks the one team analytics use.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matrix_predictions"
    )
    cell = models.ForeignKey(MatrixCell, on_delete=models.CASCADE, related_name="predictions")
    predicted = models.CharField(max_length=20, choices=Winner)
    is_correct = models.BooleanField()
    is_first = models.BooleanField(default=False)
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
        return f"{self.user}: {self.cell} -> {self.predicted}"
