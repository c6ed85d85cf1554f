"""Lessons as files: ``<root>/<course-slug>/NN-<lesson-slug>.md``, as content/README.md gives.

A lesson file is TOML front matter between two ``+++`` lines, a blank line, then the Markdown
body. Registered with ``core.content`` in ``LessonsConfig.ready`` (order 30: after courses
and matrices, so embeds can be checked against what is already loaded).
"""

import re
import tomllib
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from core.content_files import (
    ContentError,
    Key,
    LoadStats,
    check_model,
    checked_table,
    read_text,
    toml_text,
    update_or_create,
    write_text,
)
from core.embeds import validate_embeds
from courses.content_files import course_folders
from courses.models import Course

from .models import Lesson

LESSON_FILE = re.compile(r"^(?P<prefix>\d{2,})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FENCE = "+++"
# The order here is the order export writes them in.
LESSON_KEYS = {
    "title": Key(str),
    "order": Key(int),
    "status": Key(str),
    "estimated_minutes": Key(int),
    "reviewed_on": Key(date, default=None),
    "sources": Key(str, default=""),
}


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    """Split a lesson file into its parsed front matter and its body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, f"must start with a '{FENCE}' line and TOML front matter")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    except StopIteration:
        raise ContentError(path, f"the front matter has no closing '{FENCE}' line") from None
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"the front matter is not valid TOML: {error}") from error
    body = "\n".join(lines[end + 1 :]).lstrip("\n").rstrip()
    return front, body


def lesson_values(path: Path, text: str) -> tuple[str, dict]:
    """The slug and field values one lesson file describes, checked."""
    match = LESSON_FILE.match(path.name)
    if not match:
        raise ContentError(path, "lesson files are named NN-<slug>.md, e.g. 01-format-matters.md")
    front, body = split_front_matter(path, text)
    values = checked_table(path, front, LESSON_KEYS)
    if values["status"] not in Lesson.Status.values:
        raise ContentError(
            path,
            f"'status' must be one of {', '.join(Lesson.Status.values)}, not {values['status']!r}",
        )
    if int(match["prefix"]) != values["order"]:
        raise ContentError(
            path,
            f"the file name says order {int(match['prefix'])} but 'order' is {values['order']}",
        )
    if len(body) > Lesson.MAX_BODY_LENGTH:
        raise ContentError(
            path, f"the body has {len(body)} characters; the limit is {Lesson.MAX_BODY_LENGTH}"
        )
    try:
        validate_embeds(body)
    except ValidationError as error:
        raise ContentError(path, " ".join(error.messages)) from error
    values["body"] = body
    return match["slug"], values


def load_lessons(root: Path, stats: LoadStats) -> None:
    for folder in course_folders(root):
        course = Course.objects.get(slug=folder.name)  # the courses handler ran first
        seen = {}
        for path in sorted(folder.glob("*.md")):
            slug, values = lesson_values(path, read_text(path))
            if slug in seen:
                raise ContentError(path, f"the slug '{slug}' is also used by {seen[slug].name}")
            seen[slug] = path
            check_model(path, Lesson(course=course, slug=slug, **values))
            update_or_create(
                Lesson, {"course": course, "slug": slug}, values, kind="lessons", stats=stats
            )


def lesson_text(lesson: Lesson) -> str:
    """One lesson as the text of its file."""
    front = {
        "title": lesson.title,
        "order": lesson.order,
        "status": lesson.status,
        "estimated_minutes": lesson.estimated_minutes,
    }
    if lesson.reviewed_on:
        front["reviewed_on"] = lesson.reviewed_on
    if lesson.sources:
        front["sources"] = lesson.sources
    body = lesson.body.replace("\r\n", "\n").strip("\n").rstrip()
    return f"{FENCE}\n{toml_text(front)}{FENCE}\n\n{body}\n"


def export_lessons(root: Path) -> None:
    lessons = Lesson.objects.select_related("course").order_by("course__slug", "order", "slug")
    for lesson in lessons:
        name = f"{lesson.order:02d}-{lesson.slug}.md"
        write_text(Path(root) / lesson.course.slug / name, lesson_text(lesson))
