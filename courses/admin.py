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

from .models import Course, Enrollment

_course_inlines: list[type[InlineModelAdmin]] = []


def register_course_inline(inline: type[InlineModelAdmin]) -> type[InlineModelAdmin]:
    """Show ``inline`` on every course's admin page, after those registered before it.

    For apps above ``courses``; usable as a class decorator. Registering twice is harmless.
    """
    if inline not in _course_inlines:
        _course_inlines.append(inline)
    return inline


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "order", "is_published", "updated_at")
    list_editable = ("order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "summary", "description", "order", "is_published")

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_course_inlines]


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
