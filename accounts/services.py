"""Writes of the accounts app: joining a team, renewing its invite link, removing a member.

Keyword-only functions inside ``transaction.atomic``; views and the admin only call them.
"""

from django.db import transaction

from .models import Membership, Team, new_invite_code


class LastManagerError(Exception):
    """Removing this membership would leave the team without a manager."""


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
