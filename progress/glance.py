"""The team dashboard's first screen, as rules: who needs attention first, what the team
misunderstands, and what changed this week. Pure: the selectors bring the facts, the pages
bring the words (``progress.phrasing``).

- **Attention order**: members with at least one concern (``progress.attention``), most
  pressing first: by their most pressing reason (the order of ``Reason``), then by how long
  that reason has stood (days overdue, inactive, waiting), longest first, then in name order.
- **Misunderstood objectives**: over the members who have answered anything tagged with an
  objective, how many are sure but wrong (a "sure" wrong answer among their latest, the
  mastery rule's misconception) and how many are below proficient. An objective is listed
  when anyone is either; the ones most are sure but wrong about come first, then the ones
  most are below proficient in, as shares of those who answered (ties: course order).
- **Mispredicted matrix cells**: cells of the decision matrix where members' first
  predictions were wrong, the largest share wrong first (ties: more wrong, then more sure).
- **This week**: the last ``WEEK_DAYS`` days up to now against the ``WEEK_DAYS`` before them;
  each figure counts events whose moment falls in the window (start included, end excluded).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .attention import Concern

WEEK_DAYS = 7
# The first screen names this many members; the rest are one click away.
ATTENTION_FIRST = 8
MISUNDERSTOOD_SHOWN = 3
MISPREDICTED_SHOWN = 2


def attention_order(
    concerns: Mapping[int, Sequence[Concern]], *, order: Sequence[int]
) -> list[tuple[int, tuple[Concern, ...]]]:
    """(user id, their concerns) for members with any, most pressing first; ``order`` is the
    members' user ids in name order (the last tie-break)."""
    position = {user_id: index for index, user_id in enumerate(order)}

    def pressing(item):
        user_id, found = item
        top = found[0].reason
        longest = max((c.days or 0) for c in found if c.reason == top)
        return (top.rank, -longest, position.get(user_id, len(position)))

    flagged = [(user_id, tuple(found)) for user_id, found in concerns.items() if found]
    return sorted(flagged, key=pressing)


@dataclass(frozen=True)
class ObjectiveTrouble:
    """One objective as the team gets it wrong: of ``answered`` members who answered
    anything tagged with it, ``sure_wrong`` are sure but wrong, ``below`` below proficient."""

    objective_id: int
    text: str
    course_id: int
    answered: int
    sure_wrong: int
    below: int


def misunderstood_objectives(
    objectives: Iterable, assessments: Mapping[tuple[int, int], object], *, user_ids: Sequence[int],
    limit: int = MISUNDERSTOOD_SHOWN,
) -> list[ObjectiveTrouble]:  # fmt: skip
    """The objectives the team misunderstands most (see the module's rule), at most ``limit``.

    ``objectives`` have ``pk``, ``text`` and ``course_id`` (in course order);
    ``assessments`` map (user id, objective id) to a ``courses.mastery.Assessment``.
    """
    found = []
    for position, objective in enumerate(objectives):
        answered = sure_wrong = below = 0
        for user_id in user_ids:
            assessment = assessments.get((user_id, objective.pk))
            if assessment is None or not assessment.answers:
                continue
            answered += 1
            sure_wrong += assessment.confidently_wrong > 0
            below += assessment.below_proficient
        if sure_wrong or below:
            trouble = ObjectiveTrouble(objective.pk, objective.text, objective.course_id,
                                       answered, sure_wrong, below)  # fmt: skip
            found.append((-sure_wrong / answered, -below / answered, position, trouble))
    found.sort(key=lambda item: item[:3])
    return [trouble for *_, trouble in found[:limit]]


@dataclass(frozen=True)
class CellTrouble:
    """One matrix cell the team predicted wrong: ``wrong`` of ``predicted`` first predictions,
    ``sure_wrong`` of them made "sure"."""

    matrix: str
    condition: str
    column: str
    predicted: int
    wrong: int
    sure_wrong: int


def mispredicted_cells(cells: Iterable[CellTrouble], *, limit: int = MISPREDICTED_SHOWN) -> list[CellTrouble]:
    """The cells most often predicted wrong (any wrong at all), at most ``limit``."""
    wrong = [cell for cell in cells if cell.wrong]
    wrong.sort(key=lambda c: (-c.wrong / c.predicted, -c.wrong, -c.sure_wrong))
    return wrong[:limit]


@dataclass(frozen=True)
class Windows:
    """This week and the week before it, ending at ``now``."""

    now: datetime.datetime

    @property
    def this_start(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=WEEK_DAYS)

    @property
    def last_start(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=2 * WEEK_DAYS)

    def which(self, moment: datetime.datetime | None) -> int | None:
        """0 for this week, 1 for the week before, None for neither."""
        if moment is None or moment > self.now:
            return None
        if moment >= self.this_start:
            return 0
        if moment >= self.last_start:
            return 1
        return None


@dataclass(frozen=True)
class Change:
    """One figure of "This week": how many this week, and the week before."""

    key: str
    one: str  # what was counted, said of one: "lesson completed"
    many: str  # and of several: "lessons completed"
    this_week: int
    last_week: int

    @property
    def delta(self) -> int:
        return self.this_week - self.last_week

    @property
    def label(self) -> str:
        return self.one if self.this_week == 1 else self.many


@dataclass(frozen=True)
class WeekFigures:
    """What changed: each figure this week against the week before, and who finished what
    this week, (user id, course id) in the order they finished."""

    changes: tuple[Change, ...]
    finished: tuple[tuple[int, int], ...] = ()

    @property
    def quiet(self) -> bool:
        return not any(change.this_week or change.last_week for change in self.changes)


@dataclass(frozen=True)
class WeekFacts:
    """What ``week_figures`` counts, per member, as the week selector reads it.

    ``lessons``: (user id, course id) -> lessons completed this week, the week before, and
    the latest completion ever; ``first_passes``: (user id, quiz id) -> the first passing
    submission; ``first_activity``: user id -> their first enrolment, completion or
    submission in the courses.
    """

    lessons: Mapping[tuple[int, int], tuple[int, int, datetime.datetime | None]]
    first_passes: Mapping[tuple[int, int], datetime.datetime]
    first_activity: Mapping[int, datetime.datetime]


def week_figures(
    facts: WeekFacts, *, now: datetime.datetime, joined: Mapping[int, datetime.datetime],
    complete: Iterable[tuple[int, int]], quiz_courses: Mapping[int, int],
) -> WeekFigures:  # fmt: skip
    """The week's figures: lessons completed, quizzes passed (first passes), members who
    started (their first activity), new members (joined), and courses finished (a complete
    course counts from the moment it became so: its latest lesson completion or first pass).

    ``joined``: each member's joining; ``complete``: (user id, course id) complete now;
    ``quiz_courses``: each counted quiz's course.
    """
    windows = Windows(now)
    counts = {key: [0, 0] for key in ("lessons", "passes", "started", "joined", "finished")}
    for this_week, last_week, _ in facts.lessons.values():
        counts["lessons"][0] += this_week
        counts["lessons"][1] += last_week
    became_complete: dict[tuple[int, int], datetime.datetime] = {}
    for (user_id, quiz_id), moment in facts.first_passes.items():
        if (week := windows.which(moment)) is not None:
            counts["passes"][week] += 1
        key = (user_id, quiz_courses[quiz_id])
        became_complete[key] = max(moment, became_complete.get(key, moment))
    for key, (_, _, latest) in facts.lessons.items():
        if latest is not None:
            became_complete[key] = max(latest, became_complete.get(key, latest))
    for moment in facts.first_activity.values():
        if (week := windows.which(moment)) is not None:
            counts["started"][week] += 1
    for moment in joined.values():
        if (week := windows.which(moment)) is not None:
            counts["joined"][week] += 1
    finished = []
    for key in complete:
        moment = became_complete.get(key)
        if (week := windows.which(moment)) is not None:
            counts["finished"][week] += 1
            if week == 0:
                finished.append((moment, key))
    labels = {
        "lessons": ("lesson completed", "lessons completed"),
        "passes": ("quiz passed", "quizzes passed"),
        "started": ("member started", "members started"),
        "joined": ("new member", "new members"),
        "finished": ("course finished", "courses finished"),
    }
    return WeekFigures(
        changes=tuple(Change(key, *labels[key], *counts[key]) for key in labels),
        finished=tuple(key for _, key in sorted(finished)),
    )
