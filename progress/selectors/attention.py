"""Who in a team needs attention, and why: the facts the rules (``progress.attention``) take,
gathered from reads the team pages already make.

``concerns_by_member`` runs no query: it reads a ``TeamProgress`` with its progress, the
team's assignments (``team_assignments``, one query) and, for confident mistakes, the team's
mastery. The dashboard, the member page, the reminders and the managers' digest all call it,
so a member flagged in one place is flagged in every other.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from accounts.models import Assignment, Team
from progress.attention import Concern, CourseFacts, member_concerns, reached_at

from .course_progress import CourseProgress
from .mastery import TeamMastery
from .team import TeamProgress


def team_assignments(team: Team) -> dict[int, Assignment]:
    """The team's assignments by course id (when each course was assigned, its due date)."""
    return {assignment.course_id: assignment for assignment in team.assignments.all()}


def course_facts(
    progress: CourseProgress, *, assignment: Assignment, joined_at: datetime.datetime
) -> CourseFacts:
    """One member's facts in one assigned course, from their progress and the assignment."""
    return CourseFacts(
        course_id=progress.course.pk,
        reached_at=reached_at(assigned_at=assignment.assigned_at, joined_at=joined_at),
        started=progress.started,
        complete=progress.complete,
        last_activity=progress.last_activity,
        due_on=assignment.due_on,
        failed_quiz_ids=tuple(
            sorted(quiz_id for quiz_id, result in progress.quiz_results.items() if not result.passed)
        ),
    )


def concerns_by_member(
    *,
    data: TeamProgress,
    assignments: Mapping[int, Assignment],
    now: datetime.datetime,
    mastery: TeamMastery | None = None,
) -> dict[int, list[Concern]]:
    """Every member's concerns (most pressing first; empty when none), by user id.

    ``data`` must carry its progress (``team_progress``). Without ``mastery`` confident
    mistakes are not looked for (the reminders do not mail about them).
    """
    result = {}
    for membership in data.members:
        facts = [
            course_facts(
                data.progress[(membership.user_id, course.pk)],
                assignment=assignments[course.pk],
                joined_at=membership.joined_at,
            )
            for course in data.courses
        ]
        confidently_wrong = []
        if mastery is not None:
            confidently_wrong = [
                (item.objective.pk, item.objective.course_id)
                for item in mastery.objectives
                if (assessment := mastery.levels.get((membership.user_id, item.objective.pk)))
                and assessment.confidently_wrong
            ]
        result[membership.user_id] = member_concerns(
            facts, now=now, confidently_wrong=confidently_wrong
        )
    return result
