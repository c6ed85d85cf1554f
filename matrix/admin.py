"""Authoring decision matrices: columns and rows inline, cells in a grid, presets, previews.

The matrix's change page edits its title, description, columns and rows. Its cells are edited
in a grid (one table row per condition, one group of fields per column) on a page of their
own, linked from the change page, as is "Preview as learner". A matrix can be published only
when every row x column has its cell; that rule and the others a matrix's shape must meet are
``matrix.validation.matrix_problems``, which the model's ``publishing_problems`` (the
"Ready to publish?" line) and the inlines and grid in ``matrix.forms`` call.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .forms import AdvisorPresetForm, CellGridForm, ColumnInlineFormSet, RowInlineFormSet
from .models import (
    AdvisorPreset,
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
)


class MatrixColumnInline(admin.TabularInline):
    model = MatrixColumn
    formset = ColumnInlineFormSet
    fields = ["order", "key", "label", "is_default"]
    extra = 0
    max_num = DecisionMatrix.MAX_COLUMNS
    verbose_name = "column (a base-model strength)"
    verbose_name_plural = "columns (base-model strengths, left to right)"


class MatrixRowInline(admin.TabularInline):
    model = MatrixRow
    formset = RowInlineFormSet
    fields = ["order", "key", "label"]
    extra = 0
    max_num = DecisionMatrix.MAX_ROWS
    verbose_name = "row (a condition)"
    verbose_name_plural = "rows (conditions, top to bottom)"


@admin.register(DecisionMatrix)
class DecisionMatrixAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "column_count", "row_count", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "description", "is_published", "readiness"]
    readonly_fields = ["readiness"]
    inlines = [MatrixColumnInline, MatrixRowInline]
    view_on_site = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                column_total=Count("columns", distinct=True), row_total=Count("rows", distinct=True)
            )
        )

    @admin.display(description="columns", ordering="column_total")
    def column_count(self, obj):
        return obj.column_total

    @admin.display(description="rows", ordering="row_total")
    def row_count(self, obj):
        return obj.row_total

    @admin.display(description="Ready to publish?")
    def readiness(self, obj):
        if obj is None or obj.pk is None:
            return "Save the matrix first, then add its columns, rows and cells."
        problems = obj.publishing_problems()
        if not problems:
            return "Yes: every row \u00d7 column has its cell."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/cells/",
                self.admin_site.admin_view(self.cell_grid_view),
                name="matrix_decisionmatrix_cells",
            ),
            *super().get_urls(),
        ]

    def cell_grid_view(self, request, object_id):
        matrix = self.get_object(request, str(object_id))
        if matrix is None:
            raise Http404("No such matrix.")
        if not self.has_change_permission(request, matrix):
            raise PermissionDenied
        rows = list(matrix.rows.all())
        columns = list(matrix.columns.all())
        cells = {
            (cell.row_id, cell.column_id): cell
            for cell in MatrixCell.objects.filter(column__matrix=matrix)
        }
        form = CellGridForm(
            request.POST or None, matrix=matrix, rows=rows, columns=columns, cells=cells
        )
        status = 200
        if request.method == "POST":
            if form.is_valid():
                changed = form.save()
                matrix.save(update_fields=["updated_at"])
                self.message_user(
                    request,
                    f"Saved the cells of \u201c{matrix}\u201d ({changed} changed).",
                    messages.SUCCESS,
                )
                if "_continue" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(
                    reverse("admin:matrix_decisionmatrix_change", args=[matrix.pk])
                )
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": f"Cells of \u201c{matrix}\u201d",
            "opts": self.model._meta,
            "original": matrix,
            "matrix": matrix,
            "columns": columns,
            "form": form,
            "media": self.media + form.media,
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/matrix/decisionmatrix/cell_grid.html", context, status=status
        )


@admin.register(AdvisorPreset)
class AdvisorPresetAdmin(admin.ModelAdmin):
    form = AdvisorPresetForm
    list_display = ["label", "matrix", "course", "base", "reason_list", "perception", "order"]
    list_filter = ["matrix", "base", "perception"]
    list_select_related = ["matrix", "course"]
    search_fields = ["label", "key"]
    prepopulated_fields = {"key": ["label"]}

    @admin.display(description="reasons")
    def reason_list(self, obj):
        return ", ".join(obj.reasons) or "none"


@admin.register(MatrixPrediction)
class MatrixPredictionAdmin(admin.ModelAdmin):
    """Learners' predictions, read only: what they guessed, and whether it was their first."""

    list_display = [
        "user",
        "matrix_title",
        "cell",
        "answer_label",
        "confidence",
        "is_correct",
        "is_first",
        "created_at",
    ]
    list_filter = ["is_correct", "is_first", "confidence", "cell__column__matrix"]
    list_select_related = ["user", "cell__row", "cell__column__matrix"]
    search_fields = ["user__username"]
    date_hierarchy = "created_at"

    @admin.display(description="matrix", ordering="cell__column__matrix__title")
    def matrix_title(self, obj):
        return obj.cell.column.matrix.title

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
