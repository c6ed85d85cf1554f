"""Courses render their own Markdown description when saved, through the base layer's pipeline."""

from pathlib import Path

import pytest

from core.rendering import render_markdown
from courses.models import Course

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_course_description_is_rendered_and_sanitised_on_save():
    course = Course.objects.create(
        slug="c", title="C", summary="S", description="Hello *there* <script>x</script>"
    )
    assert course.description_html == render_markdown("Hello *there* <script>x</script>")
    assert "<em>there</em>" in course.description_html
    assert "<script" not in course.description_html
    course.description = "Changed"
    course.save()
    course.refresh_from_db()
    assert course.description_html == "<p>Changed</p>"


def test_courses_package_imports_no_app_above_it():
    above = ("lessons", "matrix", "quizzes", "progress")
    for path in (ROOT / "courses").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for app in above:
            assert f"from {app}" not in text and f"import {app}" not in text, path
