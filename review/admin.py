from django.contrib import admin

from .models import Card, ReviewLog, ReviewSettings


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["user", "block", "question", "state", "due", "last_review"]
    list_filter = ["state"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "block", "question"]
    readonly_fields = ["fsrs", "stability", "difficulty", "state", "last_review", "created_at"]


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    list_display = ["card", "rating", "is_correct", "confidence", "source", "reviewed_at"]
    list_filter = ["rating", "source"]
    raw_id_fields = ["card"]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "reviews_on"]
    raw_id_fields = ["user"]
