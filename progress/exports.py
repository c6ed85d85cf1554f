"""The team progress CSV: one row per member x assigned course, from selectors.team_progress.

Members are named by ``username`` and ``display_name`` (``accounts.names.display_name``: the
name they gave, else their username) beside ``full_name``. Numbers are written as numbers,
``course_complete`` as true/false, ``last_activity`` in ISO 8601 (UTC) or empty, and
``quiz_best_percent`` empty before any quiz is submitted, and ``certificate_code`` the code of
the member's certificate for the course (verified at ``/certificates/<code>/``), empty when they
hold none or it was revoked. Text cells that a spreadsheet would
read as a formula are prefixed with an apostrophe.

A second section follows when the courses have learning objectives: an empty row, then its
own header (``MASTERY_COLUMNS``) and one row per member x objective (members by username,
objectives in course order), the levels the team dashboard counts
(``selectors.mastery.team_mastery``, the rule in ``courses.mastery``): ``objective`` is the
key, ``level`` one of not_started, attempted, familiar, proficient, mastered, ``answers`` the
evidence counted and ``below_proficient`` true/false.

Speed: at 1,000 members and 36 objectives the second section is 36,000 rows (about 7 MB, most
of it the objectives' text). Its cells repeat: a member's three name cells and an objective's
three cells are the same on every row they appear in, and the level, count and flag never
need quoting. So each is made safe and quoted once (``_fragment``) and the rows are joined
from those pieces; the body is built as one string and encoded once, not written to the
response row by row. The output is byte for byte what ``csv.writer`` writes for the same
rows (tests/progress/test_exports.py checks it).
"""

import csv
import datetime
import io
import unicodedata

from accounts.names import display_name
from courses.mastery import Level

from .selectors import TeamProgress
from .selectors.mastery import TeamMastery

COLUMNS = [
    "username",
    "display_name",
    "full_name",
    "course",
    "lessons_completed",
    "lessons_total",
    "percent_complete",
    "quiz_best_percent",
    "quizzes_passed",
    "course_complete",
    "last_activity",
    "certificate_code",
]
MASTERY_COLUMNS = [
    "username",
    "display_name",
    "full_name",
    "course",
    "objective",
    "objective_text",
    "level",
    "answers",
    "below_proficient",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Invisible characters a spreadsheet skips before reading a formula.
INVISIBLE_LEAD = "\ufeff\u200b\u200c\u200d\u2060"
LINE_END = "\r\n"  # csv.writer's default, which spreadsheets expect
LEVEL_NAMES = {level: level.name.lower() for level in Level}
BOOLEANS = {True: "true", False: "false"}


def text_cell(value: str) -> str:
    """``value`` made safe for a spreadsheet: an apostrophe before anything it would read as
    a formula, including one behind invisible characters or in fullwidth form (＝, ＋)."""
    seen = unicodedata.normalize("NFKC", value).lstrip(INVISIBLE_LEAD)
    return f"'{value}" if seen.startswith(FORMULA_STARTS) else value


def iso(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _fragment(cells) -> str:
    """``cells`` (two or more) as ``csv.writer`` writes them inside a row: quoted as needed,
    separated by commas, no line end. Joining fragments with commas gives the row csv.writer
    would write, because it quotes each cell on its own (only a row of one empty cell is
    special, and a fragment has at least two)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _cell(value: str) -> str:
    """One cell as ``csv.writer`` writes it inside a row."""
    return _fragment([value, ""])[:-1]


def _member_cells(data: TeamProgress) -> dict[int, str]:
    """Each member's username, display name and full name, safe and quoted, by user id, in
    the members' order (by username)."""
    return {
        membership.user_id: _fragment([
            text_cell(membership.user.get_username()),
            text_cell(display_name(membership.user)),
            text_cell(membership.user.get_full_name()),
        ])
        for membership in data.members
    }


def _progress_lines(data: TeamProgress, members: dict[int, str]):
    """One line per member x course: the first section."""
    courses = {course.pk: _cell(text_cell(course.slug)) for course in data.courses}
    for membership, course, progress in data.rows():
        standing, best = progress.standing, progress.quiz_best_percent  # each worked out once
        yield (
            f"{members[membership.user_id]},{courses[course.pk]},{standing.lessons_done},"
            f"{standing.lessons_total},{standing.percent},{'' if best is None else best},"
            f"{standing.quizzes_passed},{BOOLEANS[standing.complete]},"
            f"{iso(progress.last_activity)},{text_cell(progress.certificate_code or '')}{LINE_END}"
        )


def _mastery_lines(members: dict[int, str], mastery: TeamMastery):
    """One line per member x objective: the second section."""
    objectives = [
        (
            item.objective.pk,
            _fragment([
                text_cell(item.objective.course_slug),
                text_cell(item.objective.key),
                text_cell(item.objective.text),
            ]),
        )
        for item in mastery.objectives
    ]
    levels = mastery.levels
    for user_id, member in members.items():
        for objective_id, cells in objectives:
            assessment = levels[(user_id, objective_id)]
            yield (
                f"{member},{cells},{LEVEL_NAMES[assessment.level]},{assessment.answers},"
                f"{BOOLEANS[assessment.below_proficient]}{LINE_END}"
            )


def team_csv(data: TeamProgress, mastery: TeamMastery | None = None) -> str:
    """The whole CSV as one string: the progress section, then the mastery section when the
    courses have objectives. ``data`` must carry its progress (``selectors.team_progress``)
    and its members' profiles (selected with them: naming costs no query)."""
    members = _member_cells(data)
    parts = [_fragment(COLUMNS) + LINE_END]
    parts.extend(_progress_lines(data, members))
    if mastery is not None and mastery.objectives:
        parts.append(LINE_END)
        parts.append(_fragment(MASTERY_COLUMNS) + LINE_END)
        parts.extend(_mastery_lines(members, mastery))
    return "".join(parts)
