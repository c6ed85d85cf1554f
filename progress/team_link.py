"""The header's link to the team pages, for people who may see a team's dashboard.

Every signed-in page shows the header, so the link must cost no query on an ordinary page
view. Whether a person may see teams (``accounts.selectors.viewable_teams``: managers,
instructors, administrators) is read once and kept in the cache per person for
``TEAM_LINK_SECONDS``: read at log-in (the ``user_logged_in`` receiver), refreshed by the
team pages (which read the same thing anyway), and forgotten when one of the person's
memberships changes (joining, leaving, a change of role) or a team they manage is renamed.
A person with no team adds nothing to any page; with one team the link is named after it and
goes to its dashboard, with several it goes to the list of teams (``progress:teams``).

With the local-memory cache each app process keeps its own copy, so a change made through
another process shows within TEAM_LINK_SECONDS; with Redis (``REDIS_URL``), at once. An
instructor added to the "Instructors" group, or a team created while they are signed in,
also waits for the timeout: both are rare, and the teams are one click away in the admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

from accounts.models import Membership
from accounts.selectors import viewable_teams

TEAM_LINK_SECONDS = 10 * 60


@dataclass(frozen=True)
class TeamLink:
    """How many teams a person may see (0, 1, or 2 for "several"), and the first's slug and name."""

    count: int = 0
    slug: str = ""
    name: str = ""

    @property
    def url(self) -> str:
        if self.count == 1:
            return reverse("progress:team", kwargs={"team": self.slug})
        return reverse("progress:teams")

    @property
    def label(self) -> str:
        return self.name if self.count == 1 else "Teams"


NO_TEAMS = TeamLink()


def _key(user_id: int) -> str:
    return f"progress:team-link:{user_id}"


def _link(teams: Sequence) -> TeamLink:
    """The link for teams as (slug, name) pairs or Team objects, in name order."""
    if not teams:
        return NO_TEAMS
    first = teams[0]
    slug, name = (first.slug, first.name) if hasattr(first, "slug") else first
    return TeamLink(count=min(len(teams), 2), slug=slug, name=name)


def team_link(user) -> TeamLink:
    """``user``'s link from the cache, or from one query (then cached)."""
    if user is None or not user.is_authenticated:
        return NO_TEAMS
    found = cache.get(_key(user.pk))
    if found is None:
        found = _link(list(viewable_teams(user).order_by("name").values_list("slug", "name")[:2]))
        cache.set(_key(user.pk), found, TEAM_LINK_SECONDS)
    return found


def remember_team_link(user, teams: Sequence) -> None:
    """Keep the link that ``teams`` (every team ``user`` may see, in name order) give."""
    cache.set(_key(user.pk), _link(teams), TEAM_LINK_SECONDS)


def forget_team_links(user_ids) -> None:
    cache.delete_many([_key(user_id) for user_id in user_ids])


# Receivers, connected in ProgressConfig.ready.


def warm_on_login(sender, request, user, **kwargs):
    """``user_logged_in``: read the link once now, so the pages that follow need no query."""
    team_link(user)


def membership_changed(sender, instance, **kwargs):
    """``post_save``/``post_delete`` of a Membership: its person's teams changed."""
    forget_team_links([instance.user_id])


def team_changed(sender, instance, created=False, **kwargs):
    """``post_save`` of a Team: a new name (or slug) for the links of its managers."""
    if not created:
        forget_team_links(instance.memberships.filter(role=Membership.Role.MANAGER).values_list("user_id", flat=True))
