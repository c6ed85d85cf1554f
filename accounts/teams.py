"""Teams: who may manage one, and the writes that change membership or the invite link.

A team is managed by its managers, by superusers, and by staff in the "Instructors" group
(who create teams and name managers in the admin). Everyone else gets a 404 for a team's
pages, so guessing a slug reveals nothing.

Writes are keyword-only functions inside ``transaction.atomic``; views only call them.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from .models import Membership, Team, new_invite_code

# The group that makes a staff account an instructor (helper A's data migration creates it).
INSTRUCTORS_GROUP = "Instructors"


class LastManagerError(Exception):
    """Removing this membership would leave the team without a manager."""


def manageable_teams(user) -> QuerySet[Team]:
    """The teams whose dashboard and members ``user`` may see and manage, in one query."""
    teams = Team.objects.all()
    if not user.is_authenticated or not user.is_active:
        return teams.none()
    if user.is_superuser:
        return teams
    manages = Exists(
        Membership.objects.filter(team=OuterRef("pk"), user=user, role=Membership.Role.MANAGER)
    )
    if not user.is_staff:
        return teams.filter(manages)
    instructor = Exists(
        get_user_model()
        .groups.through.objects.filter(user_id=user.pk, group__name=INSTRUCTORS_GROUP)
        .values("pk")
    )
    return teams.filter(manages | instructor)


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
