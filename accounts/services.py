"""Writes of the accounts app: creating an account with its profile, editing one's name and
email, joining a team, renewing its invite link, removing a member, and a team's due dates.

Keyword-only functions inside ``transaction.atomic``; views and the admin only call them.
"""

import datetime
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Assignment, Membership, Profile, Team, new_invite_code


class LastManagerError(Exception):
    """Removing this membership would leave the team without a manager."""


class PastDueDateError(ValueError):
    """A due date would be newly set to a day that has already passed."""


@transaction.atomic
def create_account(*, username: str, email: str, password: str, display_name: str = ""):
    """A new user and their profile, both or neither (sign-up; the form has validated them)."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, display_name=display_name.strip())
    return user


@transaction.atomic
def update_account(*, user, display_name: str, email: str) -> list[str]:
    """Save ``user``'s display name and email; returns the names of the fields that changed.

    The profile is created on the first edit for accounts made before profiles existed.
    """
    changed = []
    profile, created = Profile.objects.select_for_update().get_or_create(user=user)
    display_name = display_name.strip()
    if profile.display_name != display_name:
        profile.display_name = display_name
        profile.save(update_fields=["display_name"])
        changed.append("display_name")
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
        changed.append("email")
    # The caller's user object now knows its profile: naming it again costs no query.
    user.profile = profile
    return changed


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


@transaction.atomic
def set_due_dates(
    *, team: Team, due_dates: Mapping[int, datetime.date | None], today: datetime.date | None = None
) -> list[Assignment]:
    """Give ``team``'s assigned courses the due dates in ``due_dates`` (course id -> day, or
    None for no due date); returns the assignments that changed, in course order.

    All or nothing: a due date newly set before ``today`` (the site's date by default) raises
    PastDueDateError before anything is written; a past date left as it was may stay. Courses
    the team is not assigned are ignored. The rows are locked, so two managers saving at once
    apply one after the other.
    """
    today = today or timezone.localdate()
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(team=team, course_id__in=list(due_dates))
        .order_by("course__order", "course__title")
    )
    changed = [a for a in assignments if a.due_on != due_dates[a.course_id]]
    for assignment in changed:
        due_on = due_dates[assignment.course_id]
        if due_on is not None and due_on < today:
            raise PastDueDateError(f"{due_on:%d %b %Y} has passed: choose today or a later day.")
        assignment.due_on = due_on
        assignment.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
    Assignment.objects.bulk_update(changed, ["due_on", "updated_at"])
    return changed
