"""The team CSV kept whole, compressed, under everything it shows.

A 1,000-member CSV costs about 250 ms of CPU to work out and write (the members' progress,
their mastery, 36,000 rows, compression), and a manager's download while the team is working
waited behind its members' lesson views (``benchmarks/README.md``, "The CSV kept whole"). What
it shows changes far less often than it is read, so the body is kept in the cache, deflated
once (``config.compression.Deflated``, about 220 kB for 7.4 MB of text), under a key of:

- the team, and the course it is cut to (``?course=``);
- the team's activity fingerprint (``team_cache.team_fingerprint``, the dashboard's): a lesson
  completed, a quiz submitted, a first answer or prediction, an enrolment, a member joining or
  leaving; lesson views to ``SEEN_EVERY``; and the content's counts and latest edits, so an
  objective renamed in the admin shows in the next download;
- the courses assigned, with their dates;
- every member's username and names, read on every download (the same query names them in
  the CSV), so a renamed member shows at once.

What the key does not see shows within ``TEAM_AGGREGATES_TIMEOUT`` (5 minutes), as on the
dashboard: answers given in /review/ (mastery evidence the fingerprint does not count) and
the minutes of ``last_activity`` when the only new activity is lesson views.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from accounts.models import Team
from accounts.names import display_name
from config.compression import Deflated

from . import exports
from .selectors.course_progress import course_progress
from .selectors.team import TeamProgress, team_without_progress
from .selectors.team_cache import TEAM_AGGREGATES_TIMEOUT, team_fingerprint
from .selectors.team_export import export_of


def kept_team_csv(*, team: Team, course_slug: str | None = None) -> Deflated | None:
    """The team's CSV (cut to ``course_slug``), deflated; None when ``course_slug`` names no
    course assigned to the team. Four queries when kept (members, courses, fingerprint, and
    the team's own beforehand); the CSV's reads besides when worked out."""
    data = team_without_progress(team=team, course_slug=course_slug)
    if course_slug and not data.courses:
        return None
    key = csv_key(team=team, course_slug=course_slug, data=data)
    body = cache.get(key)
    if body is None:
        data.progress = course_progress(
            user_ids=[m.user_id for m in data.members], courses=data.courses
        )
        export = export_of(team=team, data=data)
        body = Deflated.of(exports.team_csv(export.data, export.mastery).encode())
        cache.set(key, body, TEAM_AGGREGATES_TIMEOUT)
    return body


def csv_key(*, team: Team, course_slug: str | None, data: TeamProgress) -> str:
    """The key the CSV of ``data`` (members and courses read, no progress) is kept under."""
    names = [
        (m.user_id, m.user.get_username(), m.user.get_full_name(), display_name(m.user))
        for m in data.members
    ]
    courses = [(c.pk, str(c.assigned_at), str(c.due_on)) for c in data.courses]
    shown = repr((course_slug, tuple(team_fingerprint(team)), courses, names))
    return f"progress:team:{team.pk}:csv:{hashlib.sha256(shown.encode()).hexdigest()}"
