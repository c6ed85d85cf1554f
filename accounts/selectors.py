"""Reads about teams: who may see or manage one (the writes are in ``accounts.services``).

- Seeing a team's dashboard and CSV: its managers, staff in the "Instructors" group, and
  whoever may manage it.
- Managing it (the invite link, removing members): its managers, superusers, and staff who
  may change teams in the admin (permission ``accounts.change_team``). Instructors only view
  teams (accounts/roles.py), so they see dashboards but not these controls.

Everyone else gets a 404 for a team's pages, so guessing a slug reveals nothing.

Due dates, as a learner sees them: a course's due date for a person is the earliest due date
over the assignments of that course to the teams they are a *member* of (managers are not
tracked in their own teams, as on the dashboards). ``due_dates`` reads them all in one query;
``due_on_for(user)`` is the same read as a subquery, for pages that fold it into the query that
already lists their courses (the catalog, the course overview, /progress/).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from .models import Assignment, Membership, Team
from .roles import INSTRUCTORS


def _with_access(user) -> QuerySet[Team]:
    """Teams annotated with ``can_manage`` and ``can_view`` for ``user``, in one query."""
    teams = Team.objects.all()
    if not user.is_authenticated or not user.is_active:
        return teams.none().annotate(can_manage=Value(False), can_view=Value(False))
    if user.is_superuser:
        return teams.annotate(can_manage=Value(True), can_view=Value(True))
    manages = Exists(
        Membership.objects.filter(team=OuterRef("pk"), user=user, role=Membership.Role.MANAGER)
    )
    if not user.is_staff:
        return teams.annotate(can_manage=manages, can_view=manages)
    change_team = Permission.objects.filter(
        content_type__app_label="accounts", content_type__model="team", codename="change_team"
    )
    administers = Exists(change_team.filter(user=user)) | Exists(change_team.filter(group__user=user))
    instructor = Exists(
        get_user_model().groups.through.objects.filter(user_id=user.pk, group__name=INSTRUCTORS)
    )
    can_manage = ExpressionWrapper(Q(manages) | administers, output_field=BooleanField())
    return teams.annotate(
        can_manage=can_manage,
        can_view=ExpressionWrapper(Q(manages) | administers | Q(instructor), output_field=BooleanField()),
    )


def viewable_teams(user) -> QuerySet[Team]:
    """Teams whose dashboard and CSV ``user`` may see, each annotated with ``can_manage``."""
    return _with_access(user).filter(can_view=True)


def manageable_teams(user) -> QuerySet[Team]:
    """Teams whose invite link and members ``user`` may manage."""
    return _with_access(user).filter(can_manage=True)


def is_last_manager(membership: Membership) -> bool:
    return (
        membership.role == Membership.Role.MANAGER
        and not Membership.objects.filter(team_id=membership.team_id, role=Membership.Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )


def team_assignments_for_editing(team: Team) -> list[Assignment]:
    """``team``'s assigned courses with the course, in the catalog's order (one query)."""
    return list(
        team.assignments.select_related("course").order_by("course__order", "course__title")
    )


def _dated_assignments(user) -> QuerySet[Assignment]:
    """Assignments with a due date to the teams ``user`` is a member of."""
    return Assignment.objects.filter(
        due_on__isnull=False,
        team__memberships__user=user,
        team__memberships__role=Membership.Role.MEMBER,
    )


def due_dates(user) -> dict[int, datetime.date]:
    """The learner's due date per course id (the earliest over their teams): one query, none
    for a visitor. Courses without a due date are absent."""
    if not user.is_authenticated:
        return {}
    rows = _dated_assignments(user).order_by().values("course_id").annotate(first=Min("due_on"))
    return {row["course_id"]: row["first"] for row in rows}


def due_on_for(user) -> Subquery:
    """The learner's due date for the course that is the outer query's row, as a subquery
    (``Course.objects.annotate(due_on=due_on_for(user))``); NULL when it has none. Only for a
    signed-in user."""
    earliest = (
        _dated_assignments(user)
        .filter(course_id=OuterRef("pk"))
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return Subquery(earliest)
