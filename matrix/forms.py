"""Admin forms for matrices: the column and row inlines' checks, the cell grid, presets.

The inlines and the grid check a matrix's shape by the one rule in ``matrix.validation``,
each with the part it edits (the columns, the rows, the cells), as submitted.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from . import advice
from .models import AdvisorPreset, MatrixCell, Winner
from .validation import matrix_problems

CELL_PARTS = ("verdict", "winner", "explanation")


def _deleted(form) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


def _kept_forms(formset):
    """The forms that will hold a row after saving: existing or newly filled, not deleted."""
    return [
        form
        for form in formset.forms
        if (form.instance.pk or form.has_changed()) and not _deleted(form)
    ]


def _added_forms(formset):
    return [
        form
        for form in formset.forms
        if not form.instance.pk and form.has_changed() and not _deleted(form)
    ]


class ColumnInlineFormSet(forms.BaseInlineFormSet):
    """The columns as submitted, by ``matrix_problems``; none added to a published matrix."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        columns = [
            (form.cleaned_data.get("label", ""), bool(form.cleaned_data.get("is_default")))
            for form in _kept_forms(self)
        ]
        problems = matrix_problems(published=self.instance.is_published, columns=columns)
        if problems:
            raise ValidationError(problems)
        if self.instance.is_published and _added_forms(self):
            raise ValidationError(
                "A new column has no cells yet, so it cannot go into a published matrix. "
                "Untick \u201cis published\u201d, save, fill in its cells in the grid, then "
                "publish again."
            )


class RowInlineFormSet(forms.BaseInlineFormSet):
    """The rows as submitted, by ``matrix_problems``; none added to a published matrix."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = [form.cleaned_data.get("label", "") for form in _kept_forms(self)]
        problems = matrix_problems(published=self.instance.is_published, rows=rows)
        if problems:
            raise ValidationError(problems)
        if self.instance.is_published and _added_forms(self):
            raise ValidationError(
                "A new row has no cells yet, so it cannot go into a published matrix. "
                "Untick \u201cis published\u201d, save, fill in its cells in the grid, then "
                "publish again."
            )


class CellGridForm(forms.Form):
    """Every cell of a matrix in one form: one row per condition, one group per column.

    A draft may leave a cell wholly empty; a published matrix needs every cell. A cell is
    either complete (verdict, winner and explanation) or empty, never half-filled.
    """

    def __init__(self, *args, matrix, rows, columns, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        self.rows = rows
        self.columns = columns
        self.cells = cells
        for row in rows:
            for column in columns:
                cell = cells.get((row.pk, column.pk))
                where = f"{row.label}, {column.label}"
                name = self.field_name(row, column, "")
                self.fields[name + "verdict"] = forms.CharField(
                    label=f"{where}: verdict",
                    max_length=MatrixCell.MAX_VERDICT_LENGTH,
                    required=False,
                    initial=cell.verdict if cell else "",
                )
                self.fields[name + "winner"] = forms.ChoiceField(
                    label=f"{where}: who wins",
                    choices=[("", "\u2014 choose \u2014"), *Winner.choices],
                    required=False,
                    initial=cell.winner if cell else "",
                )
                self.fields[name + "explanation"] = forms.CharField(
                    label=f"{where}: why (Markdown)",
                    max_length=MatrixCell.MAX_EXPLANATION_LENGTH,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    initial=cell.explanation if cell else "",
                )

    @staticmethod
    def field_name(row, column, part: str) -> str:
        return f"cell-{row.pk}-{column.pk}-{part}"

    def grid(self):
        """Rows of (row, [(column, verdict, winner, explanation, errors)]) for the template."""
        for row in self.rows:
            groups = []
            for column in self.columns:
                bound = [self[self.field_name(row, column, part)] for part in CELL_PARTS]
                errors = [error for field in bound for error in field.errors]
                groups.append({"column": column, "fields": bound, "errors": errors})
            yield {"row": row, "groups": groups}

    def clean(self):
        cleaned = super().clean()
        present = set()
        for r, row in enumerate(self.rows):
            for c, column in enumerate(self.columns):
                names = [self.field_name(row, column, part) for part in CELL_PARTS]
                values = [(cleaned.get(name) or "").strip() for name in names]
                if all(values):
                    present.add((r, c))
                elif any(values):
                    missing = [
                        part for part, value in zip(CELL_PARTS, values, strict=True) if not value
                    ]
                    self.add_error(
                        names[CELL_PARTS.index(missing[0])],
                        "Fill in " + ", ".join(missing) + ", or leave all three empty.",
                    )
        # Whether empty cells may stay empty is the matrix's rule, not the grid's.
        for problem in matrix_problems(
            published=self.matrix.is_published,
            columns=[(column.label, column.is_default) for column in self.columns],
            rows=[row.label for row in self.rows],
            cells=present,
        ):
            self.add_error(None, problem)
        return cleaned

    def save(self) -> int:
        """Create or update every filled-in cell; return how many changed."""
        changed = 0
        with transaction.atomic():
            for row in self.rows:
                for column in self.columns:
                    values = {
                        part: self.cleaned_data[self.field_name(row, column, part)].strip()
                        for part in CELL_PARTS
                    }
                    if not all(values.values()):
                        continue
                    cell = self.cells.get((row.pk, column.pk))
                    if cell is None:
                        cell = MatrixCell(row=row, column=column)
                    elif all(getattr(cell, part) == value for part, value in values.items()):
                        continue
                    for part, value in values.items():
                        setattr(cell, part, value)
                    cell.save()
                    changed += 1
        return changed


class AdvisorPresetForm(forms.ModelForm):
    """Reasons as checkboxes and the base as a radio group, instead of raw JSON."""

    reasons = forms.MultipleChoiceField(
        choices=list(advice.REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The situations in which fine-tuning earns its cost that apply to this track.",
    )

    class Meta:
        model = AdvisorPreset
        fields = [
            "matrix",
            "key",
            "label",
            "course",
            "order",
            "base",
            "reasons",
            "perception",
            "note",
        ]
        widgets = {"base": forms.RadioSelect}
