"""Course descriptions are rendered at save by lessons, which courses does not import."""

import pytest

from core.rendering import render_markdown
from courses.models import Course

pytestmark = pytest.mark.django_db


def test_course_description_is_rendered_and_sanitised_at_save():
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


def test_courses_package_does_not_import_lessons():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "courses"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from lessons" not in text and "import lessons" not in text, path
