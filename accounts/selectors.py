"""Reads about teams: who may see or manage one (the writes are in ``accounts.services``).

- Seeing a team's dashboard and CSV: its managers, staff in the "Instructors" group, and
  whoever may manage it.
- Managing it (the invite link, removing members): its managers, superusers, and staff who
  may change teams in the admin (permission ``accounts.change_team``). Instructors only view
  teams (accounts/roles.py), so they see dashboards but not these controls.

Everyone else gets a 404 for a team's pages, so guessing a slug reveals nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from .models import Membership, Team
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
