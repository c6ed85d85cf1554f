"""Teams: who may see or manage one, and the writes that change membership or the invite link.

- Seeing a team's dashboard and CSV: its managers, staff in the "Instructors" group, and
  whoever may manage it.
- Managing it (the invite link, removing members): its managers, superusers, and staff who
  may change teams in the admin (permission ``accounts.change_team``). Instructors only view
  teams (accounts/roles.py), so they see dashboards but not these controls.

Everyone else gets a 404 for a team's pages, so guessing a slug reveals nothing. Writes are
keyword-only functions inside ``transaction.atomic``; views only call them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from .models import Membership, Team, new_invite_code
from .roles import INSTRUCTORS


class LastManagerError(Exception):
    """Removing this membership would leave the team without a manager."""


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


@transaction.atomic
def join_team(*, team: Team, user) -> tuple[Membership, bool]:
    """Make ``user`` a member of ``team``; an existing membership (any role) is kept as it is.

    Returns the membership and whether it was created now.
    """
    return Membership.objects.get_or_create(
        team=team, user=user, defaults={"role": Membership.Role.MEMBER}
    )


@transaction.atomic
def renew_invite_code(*, team: Team) -> str:
    """Give ``team`` a new invite code; the old link stops working at once."""
    team.invite_code = new_invite_code()
    team.save(update_fields=["invite_code"])
    return team.invite_code


def is_last_manager(membership: Membership) -> bool:
    return (
        membership.role == Membership.Role.MANAGER
        and not Membership.objects.filter(team_id=membership.team_id, role=Membership.Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    """Delete ``membership``; the person's own progress is kept.

    Raises LastManagerError rather than leave the team with no manager. The team's manager
    rows are locked first, so two managers removing each other at once cannot both succeed.
    """
    if membership.role == Membership.Role.MANAGER:
        managers = list(
            Membership.objects.select_for_update()
            .filter(team_id=membership.team_id, role=Membership.Role.MANAGER)
            .values_list("pk", flat=True)
        )
        if set(managers) <= {membership.pk}:
            raise LastManagerError(
                "A team needs at least one manager: name another manager before removing this one."
            )
    membership.delete()
