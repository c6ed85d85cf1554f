"""Objective coverage: which objectives nothing tests, read-only (progress reads every app).

Untagged blocks and questions are found with the "objectives" filter on their own lists.
"""

from django.contrib import admin
from django.db.models import Count

from .models import ObjectiveCoverage


class TestedFilter(admin.SimpleListFilter):
    title = "tested by"
    parameter_name = "tested"

    def lookups(self, request, model_admin):
        return [("no", "Nothing (no block or question)"), ("yes", "A block or a question")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(block_count=0, question_count=0)
        if self.value() == "yes":
            return queryset.exclude(block_count=0, question_count=0)
        return queryset


@admin.register(ObjectiveCoverage)
class ObjectiveCoverageAdmin(admin.ModelAdmin):
    list_display = ("key", "text", "lesson", "course", "blocks_testing", "questions_testing")
    list_filter = (TestedFilter, "course")
    list_select_related = ("lesson", "course")
    search_fields = ("key", "text")
    ordering = ("course__order", "lesson__order", "order", "id")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                block_count=Count("blocks", distinct=True),
                question_count=Count("questions", distinct=True),
            )
        )

    @admin.display(description="Checks and predict blocks", ordering="block_count")
    def blocks_testing(self, obj):
        return obj.block_count

    @admin.display(description="Quiz questions", ordering="question_count")
    def questions_testing(self, obj):
        return obj.question_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
