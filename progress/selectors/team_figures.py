"""The team's figures over every member, in the four parts the dashboard caches apart
(``team_cache.DEPENDS``): progress (with who needs attention by progress and dates, and the
week), mastery (with what the team misunderstands and confident mistakes), item analysis and
the matrix; and who needs attention, merged from the first two. Each part is worked out from
a ``TeamProgress`` holding every member, in a fixed number of queries.

Concerns are kept as plain tuples (``pack``/``unpack``): a 10,000-member team has tens of
thousands of them, and tuples load from the cache several times faster than dataclasses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from courses.mastery import Level

from ..attention import Concern, Reason, member_concerns
from ..glance import (
    CellTrouble,
    attention_order,
    mispredicted_cells,
    misunderstood_objectives,
    week_figures,
)
from .analytics import MatrixMap, item_analysis, misconception_maps
from .attention import concerns_by_member
from .course_progress import course_progress
from .mastery import ObjectiveInfo, TeamMastery
from .mastery_state import current_team_mastery
from .team import TeamProgress
from .week import week_facts

# The dashboard names this many members below proficient per objective (the CSV has all).
NAMED_BELOW_PROFICIENT = 10


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective not every member has mastered: members per level, the first
    NAMED_BELOW_PROFICIENT members below proficient (user ids, in name order), how many more."""

    objective: ObjectiveInfo
    counts: dict[Level, int]
    below: tuple[int, ...]
    more: int

    @property
    def mastered(self) -> int:
        return self.counts[Level.MASTERED]


@dataclass(frozen=True)
class TeamSummary:
    """Figures over every member, by ids so they can be cached: members who passed each quiz,
    and per course those who completed it, are overdue on it, have it due soon and hold its
    certificate."""

    average_percent: int | None
    completed_courses: int
    has_activity: bool
    passed: dict[int, int]
    completed: dict[int, int] = field(default_factory=dict)
    overdue: dict[int, int] = field(default_factory=dict)
    due_soon: dict[int, int] = field(default_factory=dict)
    # Per course, the members holding a certificate for it (not revoked).
    certificates: dict[int, int] = field(default_factory=dict)


def pack(concern: Concern) -> tuple:
    return (concern.reason.value, concern.subject_id, concern.course_id, concern.due_on, concern.days)


def unpack(packed: tuple) -> Concern:
    reason, subject_id, course_id, due_on, days = packed
    return Concern(Reason(reason), subject_id, course_id, due_on, days)


def team_summary(*, data: TeamProgress, quizzes, concerns: dict[int, list[Concern]]) -> TeamSummary:
    """The summary from ``data`` with its progress (``team_progress``) and the concerns."""
    rows = [progress for _, _, progress in data.rows()]
    passed = {
        quiz.pk: sum(
            1
            for m in data.members
            if (result := data.progress[(m.user_id, quiz.course_id)].quiz_results.get(quiz.pk))
            and result.passed
        )
        for quiz in quizzes
    }
    flagged = [concern for found in concerns.values() for concern in found]
    return TeamSummary(
        average_percent=round(sum(p.percent for p in rows) / len(rows)) if rows else None,
        completed_courses=sum(1 for p in rows if p.complete),
        has_activity=any(p.started for p in rows),
        passed=passed,
        completed=dict(Counter(p.course.pk for p in rows if p.complete)),
        overdue=dict(Counter(c.course_id for c in flagged if c.reason is Reason.OVERDUE)),
        due_soon=dict(Counter(c.course_id for c in flagged if c.reason is Reason.DUE_SOON)),
        certificates=dict(Counter(p.course.pk for p in rows if p.certificate_code)),
    )


def objective_rows(mastery: TeamMastery, *, members: list[int]) -> list[ObjectiveRow]:
    """The objectives some member has not mastered, fewest mastered first (``TeamMastery``)."""
    position = {user_id: index for index, user_id in enumerate(members)}
    rows = []
    for item in mastery.not_mastered():
        below = sorted((uid for uid in item.below_proficient if uid in position), key=position.get)
        rows.append(ObjectiveRow(item.objective, item.counts, tuple(below[:NAMED_BELOW_PROFICIENT]),
                                 max(0, len(below) - NAMED_BELOW_PROFICIENT)))  # fmt: skip
    return rows


def cell_troubles(matrices: list[MatrixMap]) -> list[CellTrouble]:
    return [
        CellTrouble(matrix.title, matrix.rows[cell.cell.row_id], matrix.columns[cell.cell.column_id],
                    cell.predicted, cell.predicted - cell.right, cell.confidently_wrong)  # fmt: skip
        for matrix in matrices
        for cell in matrix.cells.values()
        if cell.predicted
    ]


def progress_part(*, data: TeamProgress, quizzes, done, now) -> tuple[dict, dict]:
    """Progress, who needs attention by progress and dates, the week (five queries); and,
    apart (only rebuilding who needs attention reads it), each member's concerns and the
    members' name order."""
    user_ids = [m.user_id for m in data.members]
    data.progress = course_progress(user_ids=user_ids, courses=data.courses)
    concerns = concerns_by_member(data=data, assignments=data.assignments(), now=now)
    best: dict[int, dict[int, int]] = {}
    for uid, found in concerns.items():
        for c in found:
            if c.reason is Reason.FAILING_QUIZ:
                best.setdefault(uid, {})[c.subject_id] = data.progress[(uid, c.course_id)].quiz_results[c.subject_id].best_percent
    week = week_figures(
        week_facts(team=data.team, course_ids=[c.pk for c in data.courses], now=now),
        now=now,
        joined={m.user_id: m.joined_at for m in data.members},
        complete=[(p.user_id, p.course.pk) for _, _, p in data.rows() if p.complete],
        quiz_courses={quiz.pk: quiz.course_id for quiz in quizzes},
    )
    return {
        # As of when they were worked out: at most TEAM_AGGREGATES_TIMEOUT old, against
        # thresholds of days.
        "summary": team_summary(data=data, quizzes=quizzes, concerns=concerns),
        "week": week,
        "per_lesson": dict(Counter(lesson_id for _, lesson_id in done)),
        "best": best,
        # Every member's user id in name order: the heatmap's pages, and the last tie-break
        # of who needs attention first.
        "order": user_ids,
    }, {"concerns": {uid: tuple(pack(c) for c in found) for uid, found in concerns.items() if found}}


def mastery_part(*, data: TeamProgress, now) -> tuple[dict, dict]:
    """Mastery per objective and what the team misunderstands (reading only the members who
    answered since it was last worked out: ``mastery_state``); and, apart, each member's
    confident mistakes as concerns."""
    user_ids = [m.user_id for m in data.members]
    mastery = current_team_mastery(team=data.team, user_ids=user_ids, course_ids=[c.pk for c in data.courses])
    sure_wrong = {}
    for user_id in user_ids:
        pairs = [(item.objective.pk, item.objective.course_id) for item in mastery.objectives
                 if mastery.levels[(user_id, item.objective.pk)].confidently_wrong]  # fmt: skip
        if pairs:
            # The rules' own concerns (no course facts: only the confident mistakes).
            sure_wrong[user_id] = tuple(pack(c) for c in member_concerns([], now=now, confidently_wrong=pairs))
    objectives = [item.objective for item in mastery.objectives]
    return {
        "objectives": objective_rows(mastery, members=user_ids),
        "has_objectives": bool(objectives),
        "objective_texts": {objective.pk: objective.text for objective in objectives},
        "misunderstood": misunderstood_objectives(objectives, mastery.levels, user_ids=user_ids),
    }, {"concerns": sure_wrong}


def items_part(*, data: TeamProgress, quizzes) -> tuple[dict, None]:
    """Item analysis over first attempts (two queries)."""
    return {"quizzes": item_analysis(quizzes=quizzes, user_ids=[m.user_id for m in data.members])}, None


def matrices_part(*, data: TeamProgress) -> tuple[dict, None]:
    """Misconception maps and the cells most often mispredicted (one query)."""
    matrices = misconception_maps(user_ids=[m.user_id for m in data.members])
    return {"matrices": matrices, "mispredicted": mispredicted_cells(cell_troubles(matrices))}, None


def merged_attention(progress: dict, mastery: dict, *, order: list[int]) -> list[tuple[int, tuple[tuple, ...]]]:
    """Who needs attention, most pressing first (``glance.attention_order``), each with their
    concerns in the order ``progress.attention.member_concerns`` gives them; from the concerns
    kept apart by ``progress_part`` and ``mastery_part``."""
    concerns = {}
    for user_id in progress["concerns"].keys() | mastery["concerns"].keys():
        found = [unpack(c) for c in progress["concerns"].get(user_id, ()) + mastery["concerns"].get(user_id, ())]
        concerns[user_id] = sorted(found, key=lambda c: (c.reason.rank, c.course_id or 0))
    return [(uid, tuple(pack(c) for c in found)) for uid, found in attention_order(concerns, order=order)]
