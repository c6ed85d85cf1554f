"""Learners' review records, read-only in the admin: they are written by answering, not by hand."""

from django.contrib import admin

from .models import Card, ReviewLog, ReviewSettings


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Card)
class CardAdmin(ReadOnly):
    list_display = ["user", "block", "question", "state", "due", "last_review"]
    list_filter = ["state"]
    search_fields = ["user__username"]
    list_select_related = ["user", "block", "question"]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnly):
    list_display = ["card", "rating", "is_correct", "confidence", "source", "reviewed_at"]
    list_filter = ["rating", "source"]
    list_select_related = ["card__user"]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(ReadOnly):
    list_display = ["user", "reviews_on"]
    list_select_related = ["user"]
