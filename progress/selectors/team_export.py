"""What the team CSV reads: the members' progress, and their mastery cached as the dashboard's is.

Mastery is most of the CSV's cost (at 1,000 members and 36 objectives, about 450 ms of a
600 ms request, nearly all of it reading and assessing some 40,000 answers). It depends only on
the members' activity, so it is kept in the cache under the team's activity fingerprint
(``team_cache.team_fingerprint``, the dashboard's): any new submission, completion, first
answer or membership changes the key, and a download after it is worked out afresh. The
timeout bounds how long an edit to the content itself (an objective, a tag) goes unseen, as on
the dashboard. The CSV itself is kept whole under what it shows (``progress.kept_exports``);
this is what it reads when it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Team

from .mastery import TeamMastery, team_mastery
from .mastery_state import current_team_mastery
from .team import TeamProgress, team_progress


@dataclass(frozen=True)
class TeamExport:
    """Everything the CSV writes: ``data`` with its progress, and every member's mastery."""

    data: TeamProgress
    mastery: TeamMastery


def team_export(*, team: Team, course_slug: str | None = None) -> TeamExport:
    """The team's progress in its assigned courses (or one) and its members' mastery.

    Nine queries when the mastery is cached, ten when it is worked out, whatever the size.
    """
    return export_of(team=team, data=team_progress(team=team, course_slug=course_slug))


def export_of(*, team: Team, data: TeamProgress) -> TeamExport:
    """``data`` (the team's progress, read) with its members' mastery in its courses."""
    user_ids = [membership.user_id for membership in data.members]
    course_ids = [course.pk for course in data.courses]
    if not course_ids:
        return TeamExport(data=data, mastery=team_mastery(user_ids=user_ids, course_ids=[]))
    return TeamExport(
        data=data, mastery=current_team_mastery(team=team, user_ids=user_ids, course_ids=course_ids)
    )
