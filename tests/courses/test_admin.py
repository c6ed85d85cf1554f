"""The course admin page shows the inlines that apps above courses register with it."""

from django.contrib import admin

from courses import admin as course_admin
from courses.models import Course
from lessons.admin import LessonInline


def test_lessons_register_their_inline_without_rewriting_course_admin():
    assert not course_admin.CourseAdmin.inlines  # nothing patched in at import time
    model_admin = admin.site.get_model_admin(Course)
    assert model_admin.get_inlines(request=None, obj=None) == [LessonInline]


def test_registering_an_inline_twice_shows_it_once(monkeypatch):
    monkeypatch.setattr(course_admin, "_course_inlines", [])

    class Extra(admin.TabularInline):
        model = Course

    assert course_admin.register_course_inline(Extra) is Extra
    course_admin.register_course_inline(Extra)
    model_admin = admin.site.get_model_admin(Course)
    assert model_admin.get_inlines(request=None, obj=None) == [Extra]
