"""Admin for courses, with a hook for the apps above courses to show their rows on its page.

Instructors order a course's lessons from the course page, but ``courses`` must not import
``lessons`` (or any app above it). So ``CourseAdmin`` knows no inline of another app: it shows
those registered with ``register_course_inline``, which an upper app calls from its own admin
module, as it calls ``admin.register`` for its models (``lessons.admin`` registers the
lessons inline). The dependency points down, and the extension is a named, documented call
instead of another module rewriting ``CourseAdmin.inlines`` at import time.
"""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.utils import timezone
from django.utils.formats import date_format

from . import activity
from .models import Course, Enrollment

_course_inlines: list[type[InlineModelAdmin]] = []


def register_course_inline(inline: type[InlineModelAdmin]) -> type[InlineModelAdmin]:
    """Show ``inline`` on every course's admin page, after those registered before it.

    For apps above ``courses``; usable as a class decorator. Registering twice is harmless.
    """
    if inline not in _course_inlines:
        _course_inlines.append(inline)
    return inline


class ReviewFilter(admin.SimpleListFilter):
    """Courses past their review date (courses/activity.py), or still current."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Review overdue"), ("current", "Current")]

    def queryset(self, request, queryset):
        if self.value() not in ("overdue", "current"):
            return queryset
        today = timezone.localdate()
        overdue = [
            course.pk
            for course in queryset.only("pk", "released_on", "last_reviewed_on")
            if activity.is_review_overdue(course.expires_on, today=today)
        ]
        if self.value() == "overdue":
            return queryset.filter(pk__in=overdue)
        return queryset.exclude(pk__in=overdue)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "order", "is_published", "review", "updated_at")
    list_editable = ("order", "is_published")
    list_filter = ("is_published", ReviewFilter)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("review",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "order", "is_published")}),
        (
            "Activity information",
            {
                "description": (
                    "Shown on the course overview before a learner starts, as "
                    "continuing-education providers require, with the objectives of the "
                    "published lessons, the estimated time (the lessons' minutes and the "
                    "quizzes' questions) and the quizzes' pass marks."
                ),
                "fields": ("released_on", "last_reviewed_on", "review", "disclosure"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_course_inlines]

    @admin.display(description="Review")
    def review(self, course):
        """When the course is next due for review, or that it is overdue (to staff only: the
        overview says so to learners in its own words)."""
        expiry = course.expires_on
        if expiry is None:
            return "No release date"
        day = date_format(expiry, "j M Y")
        if activity.is_review_overdue(expiry, today=timezone.localdate()):
            return f"Review overdue (due by {day})"
        return f"Due by {day}"


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at", "last_lesson", "last_seen_at")
    list_filter = ("course",)
    list_select_related = ("user", "course", "last_lesson")
    search_fields = ("user__username", "course__title")
    raw_id_fields = ("user", "last_lesson")

    def has_add_permission(self, request):
        return False  # learners enrol themselves by starting a course

    def has_change_permission(self, request, obj=None):
        return False
