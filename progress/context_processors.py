"""The header's link to the team pages (``progress.team_link``): lazy, and cached per person.

Nothing is read until a template shows the link (the full page's header, never a partial);
then it comes from the cache, warmed at log-in, so signed-in pages add no query for it.
"""

from django.utils.functional import SimpleLazyObject

from .team_link import team_link as read_team_link


def team_link(request):
    return {"team_link": SimpleLazyObject(lambda: read_team_link(getattr(request, "user", None)))}
