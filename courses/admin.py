"""Admin for courses.

``courses`` does not import the apps above it, so their inlines join ``CourseAdmin.inlines``
from their own admin modules (``lessons.admin`` adds the lessons, in order, editable).
"""

from django.contrib import admin

from .models import Course, Enrollment


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "order", "is_published", "updated_at")
    list_editable = ("order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "summary", "description", "order", "is_published")
    inlines = []


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
