"""The team progress CSV: one row per member x assigned course, from selectors.team_progress.

Numbers are written as numbers, ``course_complete`` as true/false, ``last_activity`` in
ISO 8601 (UTC) or empty, and ``quiz_best_percent`` empty before any quiz is submitted. Text
cells that a spreadsheet would read as a formula are prefixed with an apostrophe.

A second section follows when the courses have learning objectives: an empty row, then its
own header (``MASTERY_COLUMNS``) and one row per member x objective (members by username,
objectives in course order), the levels the team dashboard counts
(``selectors.mastery.team_mastery``, the rule in ``courses.mastery``): ``objective`` is the
key, ``level`` one of not_started, attempted, familiar, proficient, mastered, ``answers`` the
evidence counted and ``below_proficient`` true/false. The first section's columns are as
they were.
"""

import csv
import datetime
import unicodedata

from .selectors import TeamProgress
from .selectors.mastery import TeamMastery

COLUMNS = [
    "username",
    "full_name",
    "course",
    "lessons_completed",
    "lessons_total",
    "percent_complete",
    "quiz_best_percent",
    "quizzes_passed",
    "course_complete",
    "last_activity",
]
MASTERY_COLUMNS = [
    "username",
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


def text_cell(value: str) -> str:
    """``value`` made safe for a spreadsheet: an apostrophe before anything it would read as
    a formula, including one behind invisible characters or in fullwidth form (＝, ＋)."""
    seen = unicodedata.normalize("NFKC", value).lstrip(INVISIBLE_LEAD)
    return f"'{value}" if seen.startswith(FORMULA_STARTS) else value


def iso(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def rows(data: TeamProgress):
    for membership, course, progress in data.rows():
        yield [
            text_cell(membership.user.get_username()),
            text_cell(membership.user.get_full_name()),
            text_cell(course.slug),
            progress.lessons_completed,
            progress.lessons_total,
            progress.percent,
            "" if progress.quiz_best_percent is None else progress.quiz_best_percent,
            progress.quizzes_passed,
            "true" if progress.complete else "false",
            iso(progress.last_activity),
        ]


def mastery_rows(data: TeamProgress, mastery: TeamMastery):
    for membership in data.members:
        for item in mastery.objectives:
            objective = item.objective
            assessment = mastery.levels[(membership.user_id, objective.pk)]
            yield [
                text_cell(membership.user.get_username()),
                text_cell(membership.user.get_full_name()),
                text_cell(objective.course_slug),
                text_cell(objective.key),
                text_cell(objective.text),
                assessment.level.name.lower(),
                assessment.answers,
                "true" if assessment.below_proficient else "false",
            ]


def write_team_csv(stream, data: TeamProgress, mastery: TeamMastery | None = None) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows(rows(data))
    if mastery is not None and mastery.objectives:
        writer.writerow([])
        writer.writerow(MASTERY_COLUMNS)
        writer.writerows(mastery_rows(data, mastery))

