"""Courses as files: ``<root>/<course-slug>/course.toml``, in the format content/README.md gives.

Registered with ``core.content`` in ``CoursesConfig.ready`` (order 10: courses load first).
Exports write the keys in one fixed order so that exporting twice gives identical bytes.
"""

import re
from datetime import date
from pathlib import Path

from core.content_files import (
    ContentError,
    Key,
    LoadStats,
    check_model,
    checked_table,
    read_toml,
    toml_text,
    update_or_create,
    write_text,
)

from .models import Course

COURSE_FILE = "course.toml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The order here is the order export writes them in.
COURSE_KEYS = {
    "title": Key(str),
    "summary": Key(str),
    "order": Key(int),
    "is_published": Key(bool),
    # Activity information (courses/activity.py); a published course needs released_on and
    # a disclosure (the model's clean(), which check_model runs).
    "released_on": Key(date, default=None),
    "last_reviewed_on": Key(date, default=None),
    "description": Key(str, default=""),
    "disclosure": Key(str, default=""),
}


def course_folders(root: Path) -> list[Path]:
    """The folders under ``root`` that hold a course.toml, by name."""
    folders = []
    for folder in sorted(Path(root).iterdir()):
        if not folder.is_dir():
            continue
        if (folder / COURSE_FILE).is_file():
            folders.append(folder)
        elif any(folder.glob("*.md")):
            raise ContentError(folder, f"has lesson files but no {COURSE_FILE}")
    return folders


def load_courses(root: Path, stats: LoadStats) -> None:
    for folder in course_folders(root):
        path = folder / COURSE_FILE
        if not SLUG.match(folder.name):
            raise ContentError(folder, "a course folder's name is its slug: a-z, 0-9 and hyphens")
        values = checked_table(path, read_toml(path), COURSE_KEYS)
        check_model(path, Course(slug=folder.name, **values))
        update_or_create(Course, {"slug": folder.name}, values, kind="courses", stats=stats)


def export_courses(root: Path) -> None:
    for course in Course.objects.order_by("order", "slug"):
        values = {key: getattr(course, key) for key in COURSE_KEYS}
        for optional in ("description", "disclosure"):
            if not values[optional]:
                del values[optional]
        write_text(Path(root) / course.slug / COURSE_FILE, toml_text(values))
