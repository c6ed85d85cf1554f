"""The team pages in plain words: concerns, misunderstandings and the week's changes as the
sentences a manager reads. Pure: callers pass titles and numbers; templates escape the text.

Dates are written "12 Nov" (with the year when it is not this year), spans "18 days ago",
"in 3 days", "today"; counts "6 of 12".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.utils.text import Truncator

from .attention import Concern, Reason
from .glance import CellTrouble, Change, ObjectiveTrouble
from .item_analysis import ItemStats

# How each reason looks on the page: a badge class suffix (base.css) beside its words.
TONES = {
    Reason.OVERDUE: "bad",
    Reason.FAILING_QUIZ: "bad",
    Reason.CONFIDENTLY_WRONG: "warn",
    Reason.INACTIVE: "warn",
    Reason.NOT_STARTED: "neutral",
    Reason.DUE_SOON: "neutral",
}


def short_date(day: datetime.date, *, today: datetime.date) -> str:
    """ "12 Nov", or "12 Nov 2025" outside the current year."""
    return f"{day.day} {day:%b}" if day.year == today.year else f"{day.day} {day:%b %Y}"


def days_ago(days: int) -> str:
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def in_days(days: int) -> str:
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def concern_text(
    concern: Concern, *, course: str = "", quiz: str = "", best_percent: int | None = None,
    pass_percent: int | None = None, objective: str = "", today: datetime.date,
) -> str:  # fmt: skip
    """One concern as a sentence, e.g. "Overdue: Imaging AI was due 12 Nov (18 days ago)"."""
    reason, days = concern.reason, concern.days or 0
    if reason is Reason.OVERDUE:
        return f"Overdue: {course} was due {short_date(concern.due_on, today=today)} ({days_ago(days)})"
    if reason is Reason.DUE_SOON:
        return f"Due soon: {course} is due {short_date(concern.due_on, today=today)} ({in_days(days)})"
    if reason is Reason.FAILING_QUIZ:
        scores = []
        if best_percent is not None:
            scores.append(f"best {best_percent}%")
        if pass_percent is not None:
            scores.append(f"pass mark {pass_percent}%")
        return f"Failing {quiz}" + (f": {', '.join(scores)}" if scores else "")
    if reason is Reason.CONFIDENTLY_WRONG:
        return f"Sure but wrong on: {objective}"
    if reason is Reason.INACTIVE:
        return f"Inactive for {plural(days, 'day')}" + (f" ({course} unfinished)" if course else "")
    return f"Not started {course}, assigned {days_ago(days)}"


def sure_but_wrong_text(texts: Sequence[str]) -> str:
    """Several confident mistakes in one sentence: "Sure but wrong on 5 objectives, such as “…”"."""
    if len(texts) == 1:
        return f"Sure but wrong on: {texts[0]}"
    return f"Sure but wrong on {len(texts)} objectives, such as “{texts[0]}”"


def member_notes(
    concerns: Sequence[Concern], *, courses: Mapping[int, str], quizzes: Mapping[int, tuple[str, int | None]],
    best: Mapping[int, int], objectives: Mapping[int, str], today: datetime.date, brief: bool = False,
) -> list[tuple[Reason, str]]:  # fmt: skip
    """A member's concerns as (reason, sentence), in their order; being inactive in several
    courses is one sentence ("Inactive for 16 days (A, B unfinished)"), and so, when ``brief``
    (the dashboard's rows), are confident mistakes on several objectives.

    ``courses``: titles by id; ``quizzes``: (title, pass mark) by id; ``best``: the member's
    best percent by quiz id; ``objectives``: texts by id.
    """
    notes = []
    inactive = [c for c in concerns if c.reason is Reason.INACTIVE]
    sure_wrong = [c for c in concerns if c.reason is Reason.CONFIDENTLY_WRONG]
    for concern in concerns:
        if concern.reason is Reason.INACTIVE:
            if concern is not inactive[0]:
                continue
            titles = ", ".join(courses.get(c.course_id, "") for c in inactive)
            text = concern_text(concern, course=titles, today=today)
        elif concern.reason is Reason.CONFIDENTLY_WRONG and brief:
            if concern is not sure_wrong[0]:
                continue
            text = sure_but_wrong_text([objectives.get(c.subject_id, "an objective") for c in sure_wrong])
        elif concern.reason is Reason.FAILING_QUIZ:
            title, pass_percent = quizzes.get(concern.subject_id, ("a quiz", None))
            text = concern_text(concern, quiz=title, best_percent=best.get(concern.subject_id),
                                pass_percent=pass_percent, today=today)  # fmt: skip
        elif concern.reason is Reason.CONFIDENTLY_WRONG:
            text = concern_text(concern, objective=objectives.get(concern.subject_id, "an objective"), today=today)
        else:
            text = concern_text(concern, course=courses.get(concern.course_id, ""), today=today)
        notes.append((concern.reason, text))
    return notes


def objective_sentence(trouble: ObjectiveTrouble) -> str:
    """ "6 of 12 who answered are sure but wrong about “…”", or, with no one sure and wrong,
    "8 of 12 who answered are not yet proficient in “…”"."""
    if trouble.sure_wrong:
        verb = "is" if trouble.sure_wrong == 1 else "are"
        return f"{trouble.sure_wrong} of {trouble.answered} who answered {verb} sure but wrong about “{trouble.text}”"
    verb = "is" if trouble.below == 1 else "are"
    return f"{trouble.below} of {trouble.answered} who answered {verb} not yet proficient in “{trouble.text}”"


def cell_sentence(cell: CellTrouble) -> str:
    """ "7 of 10 predicted Domain coverage wrong with a Strong base (3 of them sure)"."""
    sure = f" ({cell.sure_wrong} of them sure)" if cell.sure_wrong else ""
    return f"{cell.wrong} of {cell.predicted} predicted {cell.condition} wrong for “{cell.column}”{sure}"


def change_words(change: Change) -> str:
    """How a figure moved against the week before: "up 3 on the week before", "down 2 on
    the week before", "the same as the week before"."""
    if change.delta > 0:
        return f"up {change.delta} on the week before"
    if change.delta < 0:
        return f"down {-change.delta} on the week before"
    return "the same as the week before"


def question_sentence(item: ItemStats) -> str:
    """ "“Which …?”: 3 of 8 got it right, 2 were sure but wrong; most chose “…”"."""
    parts = [f"{item.right} of {item.answered} got it right"]
    if item.sure_wrong:
        parts.append(f"{item.sure_wrong} {'was' if item.sure_wrong == 1 else 'were'} sure but wrong")
    text = f"“{Truncator(item.question.prompt).chars(110)}”: " + ", ".join(parts)
    if item.wrong_choice is not None:
        text += f"; the wrong answer most chosen: “{Truncator(item.wrong_choice.text).chars(70)}”"
    return text
