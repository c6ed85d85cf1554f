"""How people are named to others: the one rule every dashboard, CSV, mail and certificate uses.

A person's display name is the one they gave (``Profile.display_name``, asked at sign-up and
editable on their account page), else their username. Readers that name many people select
``user__profile`` (or ``profile``) with the users, so naming them costs no query.

A certificate is public, so it shows only the name a person chose (``chosen_name``), never
their username: without one it is issued with no name.
"""

from django.core.exceptions import ObjectDoesNotExist


def display_name(user) -> str:
    """The name ``user`` is shown by: their display name, or their username when they gave none."""
    try:
        chosen = user.profile.display_name
    except ObjectDoesNotExist:
        chosen = ""
    return chosen.strip() or user.get_username()


def chosen_name(user) -> str:
    """The display name ``user`` gave, or "" when none: for what the public may see."""
    try:
        return user.profile.display_name.strip()
    except ObjectDoesNotExist:
        return ""
