"""Blocks as files: ``<root>/<course-slug>/blocks/<block-slug>.toml``, one block a file.

Registered with ``core.content`` in ``PracticeConfig.ready`` with order 25: after courses (10)
and matrices (20), before lessons (30), which check their ``[[check:…]]`` and
``[[predict:…]]`` lines against the blocks already loaded. A block is created or updated by
slug (unique across courses); its choices are matched by position and updated in place, so
learners' answers keep pointing at them; choices the file no longer has are deleted. A file
is checked completely (keys, types, ``practice.validation``, the model's field rules) before
anything is written. Export writes the keys in one fixed order, so load, export and load
again gives byte-identical files. content/README.md shows the format.

A block's ``objectives`` list names objectives of its course by key. Lessons, which hold the
objectives, load after blocks (a lesson's embeds are checked against the blocks), so the tags
are applied by a second handler, ``load_block_objectives`` at order 35, once the lessons (30)
are loaded; an unknown key is an error naming the file and the key. Export writes the list
after ``explanation`` in the course's objective order, and leaves it out when empty.
"""

import re
from pathlib import Path

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
    find_or_build,
    read_toml,
    toml_text,
    write_text,
)
from courses.content_files import course_folders
from courses.models import Course
from lessons.content_files import objective_keys, resolve_objectives, tag_keys

from .models import Block, BlockChoice
from .validation import block_problems, choice_problems

FOLDER = "blocks"
BLOCK_FILE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.toml$")
# The order here is the order export writes them in.
BLOCK_KEYS = {
    "kind": Key(str),
    "answer": Key(str),
    "title": Key(str),
    "scenario": Key(str, default=""),
    "prompt": Key(str),
    "explanation": Key(str, default=""),
    "objectives": Key(list, default=[]),
    "choices": Key(list, default=[]),
}
CHOICE_KEYS = {
    "text": Key(str),
    "correct": Key(bool, default=False),
    "feedback": Key(str, default=""),
}


def block_files(root: Path) -> list[Path]:
    return [
        path
        for folder in course_folders(root)
        for path in sorted((folder / FOLDER).glob("*"))
        if path.is_file()
    ]


def parse_block(path: Path, course: Course) -> dict:
    """Read and check one block file; return the block's and its choices' field values."""
    match = BLOCK_FILE.match(path.name)
    if not match:
        raise ContentError(path, "block files are named <slug>.toml, e.g. format-first.toml")
    data = checked_table(path, read_toml(path), BLOCK_KEYS)
    if data["kind"] not in Block.Kind.values:
        raise ContentError(path, f"'kind' must be one of {', '.join(Block.Kind.values)}")
    if data["answer"] not in Block.AnswerKind.values:
        raise ContentError(path, f"'answer' must be one of {', '.join(Block.AnswerKind.values)}")
    values = {
        "course_id": course.pk,
        "kind": data["kind"],
        "answer_kind": data["answer"],
        "title": data["title"],
        "prompt": data["prompt"],
        "scenario": data["scenario"],
        "explanation": data["explanation"],
    }
    choices = [
        checked_table(path, raw, CHOICE_KEYS, where=f"choice {number}: ")
        for number, raw in enumerate(data["choices"], start=1)
    ]
    problems = block_problems(
        kind=data["kind"], answer_kind=data["answer"], explanation=data["explanation"]
    ) + choice_problems(
        kind=data["kind"],
        answer_kind=data["answer"],
        choices=[(c["correct"], c["feedback"]) for c in choices],
        max_choices=Block.MAX_CHOICES,
    )
    if problems:
        raise ContentError(path, " ".join(problems))
    objective_keys(path, data["objectives"])
    check_model(path, Block(slug=match["slug"], **values), exclude=["course"])
    choice_values = []
    for number, choice in enumerate(choices, start=1):
        row = {"order": number, "text": choice["text"], "is_correct": choice["correct"],
               "feedback": choice["feedback"]}  # fmt: skip
        check_model(path, BlockChoice(**row), where=f"choice {number}: ", exclude=["block"])
        choice_values.append(row)
    return {"slug": match["slug"], "block": values, "choices": choice_values}


def save_block(spec: dict, stats: LoadStats) -> Block:
    """Create or update one block and its choices (matched by position)."""
    block, outcome = find_or_build(Block, {"slug": spec["slug"]}, spec["block"])
    if outcome == CREATED:
        block.save()
    existing = list(block.choices.order_by("order", "id")) if outcome != CREATED else []
    changed = False
    for index, values in enumerate(spec["choices"]):
        if index < len(existing):
            choice_outcome = UPDATED if apply_values(existing[index], values) else UNCHANGED
            if choice_outcome == UPDATED:
                existing[index].save()
        else:
            BlockChoice.objects.create(block=block, **values)
            choice_outcome = CREATED
        changed |= choice_outcome != UNCHANGED
        stats.record("block choices", choice_outcome)
    for surplus in existing[len(spec["choices"]) :]:
        surplus.delete()
        changed = True
    if outcome == UNCHANGED and changed:
        outcome = UPDATED  # saved below, so its updated_at (and the page cache) moves
    if outcome == UPDATED:
        block.save()
    stats.record("blocks", outcome)
    return block


def load_blocks(root: Path, stats: LoadStats) -> None:
    seen: dict[str, Path] = {}
    specs = []
    courses = {course.slug: course for course in Course.objects.all()}
    for path in block_files(root):
        course = courses[path.parent.parent.name]  # the courses handler ran first
        spec = parse_block(path, course)
        if spec["slug"] in seen:
            raise ContentError(
                path, f"the slug '{spec['slug']}' is also used by {seen[spec['slug']]}"
            )
        seen[spec["slug"]] = path
        specs.append(spec)
    for spec in specs:
        save_block(spec, stats)


def load_block_objectives(root: Path, stats: LoadStats) -> None:
    """Tag every block in the files with the objectives its ``objectives`` list names."""
    courses = {course.slug: course for course in Course.objects.all()}
    blocks = {block.slug: block for block in Block.objects.prefetch_related("objectives")}
    for path in block_files(root):
        course = courses[path.parent.parent.name]
        keys = objective_keys(path, read_toml(path).get("objectives", []))
        block = blocks[path.stem]  # loaded at order 25
        wanted = resolve_objectives(path, course, keys)
        if {o.pk for o in wanted} != {o.pk for o in block.objectives.all()}:
            block.objectives.set(wanted)
            stats.record("block objective tags", UPDATED)
        else:
            stats.record("block objective tags", UNCHANGED)


def export_block_objectives(root: Path) -> None:
    """Nothing to write: ``export_blocks`` writes each block's tags in its file."""


def block_text(block: Block) -> str:
    """One block as the text of its file."""
    values = {
        "kind": block.kind,
        "answer": block.answer_kind,
        "title": block.title,
        "scenario": block.scenario or None,
        "prompt": block.prompt,
        "explanation": block.explanation or None,
        "objectives": tag_keys(block.objectives.all()),
    }
    parts = [toml_text(values)]
    for choice in block.choices.order_by("order", "id"):
        choice_values = {"text": choice.text, "correct": choice.is_correct,
                         "feedback": choice.feedback or None}  # fmt: skip
        parts.append("\n[[choices]]\n" + toml_text(choice_values))
    return "".join(parts)


def export_blocks(root: Path) -> None:
    blocks = Block.objects.select_related("course").prefetch_related("objectives__lesson")
    for block in blocks.order_by("course__slug", "slug"):
        write_text(
            Path(root) / block.course.slug / FOLDER / f"{block.slug}.toml", block_text(block)
        )
