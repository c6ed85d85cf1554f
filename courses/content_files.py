"""Courses as files: ``<root>/<course-slug>/course.toml``, in the format content/README.md gives.

Registered with ``courses.content`` in ``CoursesConfig.ready`` (order 10: courses load first).
Exports write the keys in one fixed order so that exporting twice gives identical bytes.
"""

import re
from datetime import date
from pathlib import Path

import tomli_w
from django.core.exceptions import ValidationError

from .content import ContentError, LoadStats, read_toml, update_or_create
from .models import Course

COURSE_FILE = "course.toml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Key -> (type, required); the order here is the order export writes them in.
COURSE_KEYS = {
    "title": (str, True),
    "summary": (str, True),
    "order": (int, True),
    "is_published": (bool, True),
    "description": (str, False),
}
TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", date: "a TOML date"}


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


def checked_values(path: Path, data: dict, keys: dict) -> dict:
    """Check a parsed TOML table against ``keys`` and return the values it sets, in order."""
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ContentError(path, f"unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}")
    values = {}
    for key, (kind, required) in keys.items():
        if key not in data:
            if required:
                raise ContentError(path, f"'{key}' is missing")
            continue
        value = data[key]
        wrong_type = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if kind is date and hasattr(value, "hour"):
            wrong_type = True
        if wrong_type:
            raise ContentError(path, f"'{key}' must be {TYPE_NAMES[kind]}, not {value!r}")
        values[key] = value
    return values


def check_model(path: Path, instance) -> None:
    """Run the model's own validation, naming the file and the field on failure."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise ContentError(path, problems) from error


def load_courses(root: Path, stats: LoadStats) -> None:
    for folder in course_folders(root):
        path = folder / COURSE_FILE
        if not SLUG.match(folder.name):
            raise ContentError(folder, "a course folder's name is its slug: a-z, 0-9 and hyphens")
        values = checked_values(path, read_toml(path), COURSE_KEYS)
        values.setdefault("description", "")
        check_model(path, Course(slug=folder.name, **values))
        update_or_create(Course, {"slug": folder.name}, values, kind="courses", stats=stats)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with Unix newlines, whatever the platform."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def toml_text(values: dict) -> str:
    """TOML for ``values`` in their given order, with multi-line strings kept readable."""
    clean = {
        key: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for key, value in values.items()
    }
    return tomli_w.dumps(clean, multiline_strings=True)


def export_courses(root: Path) -> None:
    for course in Course.objects.order_by("order", "slug"):
        values = {key: getattr(course, key) for key in COURSE_KEYS}
        if not values["description"]:
            del values["description"]
        write_text(Path(root) / course.slug / COURSE_FILE, toml_text(values))
