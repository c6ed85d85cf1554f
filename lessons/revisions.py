"""What changed between two saved revisions of a lesson, for the admin's compare page.

The body diff is line by line (difflib), grouped into hunks with a little context; the
template escapes every line, so a diff can show hostile text without running it.
"""

import difflib
from dataclasses import dataclass

# Fields compared besides the body; the body gets its own line diff.
COMPARED_FIELDS = ("title", "slug", "course", "order", "status", "estimated_minutes",
                   "reviewed_on", "sources", "owner")  # fmt: skip


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


def body_diff(old: str, new: str, *, context: int = 3) -> list[list[DiffLine]]:
    """Hunks of changed lines between two texts, each with ``context`` unchanged lines around."""
    old_lines = (old or "").replace("\r\n", "\n").split("\n")
    new_lines = (new or "").replace("\r\n", "\n").split("\n")
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        hunk = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk += [
                    DiffLine("same", i + 1, j + 1, old_lines[i])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                ]
                continue
            hunk += [DiffLine("removed", i + 1, None, old_lines[i]) for i in range(i1, i2)]
            hunk += [DiffLine("added", None, j + 1, new_lines[j]) for j in range(j1, j2)]
        hunks.append(hunk)
    return hunks


def field_changes(old_record, new_record) -> list[FieldChange]:
    """The fields other than the body that differ between two historical records."""
    changes = []
    for name in COMPARED_FIELDS:
        before, after = getattr(old_record, name), getattr(new_record, name)
        if before != after:
            label = new_record._meta.get_field(name).verbose_name
            changes.append(FieldChange(str(label).capitalize(), before, after))
    return changes
