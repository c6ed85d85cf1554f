"""Lessons as files: ``<root>/<course-slug>/NN-<lesson-slug>.md``, as content/README.md gives.

A lesson file is TOML front matter between two ``+++`` lines, a blank line, then the Markdown
body. Registered with ``core.content`` in ``LessonsConfig.ready`` (order 30: after courses
and matrices, so embeds can be checked against what is already loaded).

The front matter may end with ``[[objectives]]`` tables (``key``, ``text``): the lesson's
learning objectives, in order. Keys are unique within the course; an objective is matched by
(course, key), so one moved to another lesson of the course keeps its tags, and objectives a
loaded lesson no longer lists are deleted. Blocks (``practice.content``, order 35) and quiz
questions (``quizzes.content``, order 40) name them in their ``objectives`` lists.
"""

import re
import tomllib
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from core.content_files import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ContentError,
    Key,
    LoadStats,
    apply_values,
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

from .models import Lesson, Objective

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
    "objectives": Key(list, default=[]),
}
OBJECTIVE_KEYS = {"key": Key(str), "text": Key(str)}


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
    values["objectives"] = objective_values(path, values["objectives"])
    return match["slug"], values


def objective_values(path: Path, tables: list) -> list[dict]:
    """The ``[[objectives]]`` tables of one lesson file, checked, with their order."""
    objectives, keys = [], set()
    for number, table in enumerate(tables, start=1):
        where = f"objective {number}: "
        values = checked_table(path, table, OBJECTIVE_KEYS, where=where)
        if values["key"] in keys:
            raise ContentError(path, f"{where}the key '{values['key']}' is listed twice")
        keys.add(values["key"])
        row = {"key": values["key"], "text": values["text"], "order": number}
        check_model(path, Objective(**row), where=where, exclude=["lesson", "course"])
        objectives.append(row)
    return objectives


def save_objectives(course: Course, wanted: dict[Lesson, list[dict]], stats: LoadStats) -> None:
    """Create, update or delete the objectives of the loaded lessons of ``course``."""
    existing = {objective.key: objective for objective in Objective.objects.filter(course=course)}
    listed = set()
    for lesson, rows in wanted.items():
        for row in rows:
            listed.add(row["key"])
            values = {"lesson_id": lesson.pk, "text": row["text"], "order": row["order"]}
            objective = existing.get(row["key"])
            if objective is None:
                Objective.objects.create(key=row["key"], lesson=lesson, text=row["text"], order=row["order"])
                stats.record("objectives", CREATED)
            elif apply_values(objective, values):
                objective.save()
                stats.record("objectives", UPDATED)
            else:
                stats.record("objectives", UNCHANGED)
    loaded = {lesson.pk for lesson in wanted}
    for key, objective in existing.items():
        if key not in listed and objective.lesson_id in loaded:
            objective.delete()


def load_lessons(root: Path, stats: LoadStats) -> None:
    for folder in course_folders(root):
        course = Course.objects.get(slug=folder.name)  # the courses handler ran first
        seen, keys, objectives = {}, {}, {}
        for path in sorted(folder.glob("*.md")):
            slug, values = lesson_values(path, read_text(path))
            if slug in seen:
                raise ContentError(path, f"the slug '{slug}' is also used by {seen[slug].name}")
            seen[slug] = path
            rows = values.pop("objectives")
            for row in rows:
                if row["key"] in keys:
                    raise ContentError(
                        path, f"the objective key '{row['key']}' is also used by {keys[row['key']].name}"
                    )
                keys[row["key"]] = path
            check_model(path, Lesson(course=course, slug=slug, **values))
            lesson = update_or_create(
                Lesson, {"course": course, "slug": slug}, values, kind="lessons", stats=stats
            )
            objectives[lesson] = rows
        save_objectives(course, objectives, stats)


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
    tables = "".join(
        "\n[[objectives]]\n" + toml_text({"key": objective.key, "text": objective.text})
        for objective in lesson.objectives.all()
    )
    body = lesson.body.replace("\r\n", "\n").strip("\n").rstrip()
    return f"{FENCE}\n{toml_text(front)}{tables}{FENCE}\n\n{body}\n"


def export_lessons(root: Path) -> None:
    lessons = (
        Lesson.objects.select_related("course")
        .prefetch_related("objectives")
        .order_by("course__slug", "order", "slug")
    )
    for lesson in lessons:
        name = f"{lesson.order:02d}-{lesson.slug}.md"
        write_text(Path(root) / lesson.course.slug / name, lesson_text(lesson))


# Tags: blocks and quiz questions name the objectives they test --------------------------


def objective_keys(path: Path, value, *, where: str = "") -> list[str]:
    """An ``objectives`` list from a block or question table: strings, each listed once."""
    if not all(isinstance(key, str) for key in value):
        raise ContentError(path, f"{where}'objectives' must be a list of objective keys (strings)")
    if len(set(value)) != len(value):
        raise ContentError(path, f"{where}'objectives' lists a key twice")
    return list(value)


def resolve_objectives(path: Path, course, keys: list[str], *, where: str = "") -> list[Objective]:
    """The objectives of ``course`` that ``keys`` name, or ContentError naming the unknown key."""
    if not keys:
        return []
    found = {o.key: o for o in Objective.objects.filter(course=course, key__in=keys)}
    for key in keys:
        if key not in found:
            raise ContentError(
                path, f"{where}unknown objective '{key}': no lesson of course '{course.slug}' has it"
            )
    return [found[key] for key in keys]


def tag_keys(objectives) -> list[str] | None:
    """The keys to export for a block's or question's objectives, in the course's order
    (lesson order, then the objective's); None (left out of the file) when there are none."""
    ordered = sorted(objectives, key=lambda o: (o.lesson.order, o.lesson_id, o.order, o.pk))
    return [objective.key for objective in ordered] or None
