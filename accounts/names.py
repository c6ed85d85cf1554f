"""How people are named to others: the one rule every dashboard, CSV, mail and certificate uses.

A person's display name is the one they gave (``Profile.display_name``, asked at sign-up and
editable on their account page), else their username. Readers that name many people select
``user__profile`` (or ``profile``) with the users, so naming them costs no query.
"""

from django.core.exceptions import ObjectDoesNotExist


def display_name(user) -> str:
    """The name ``user`` is shown by: their display name, or their username when they gave none."""
    try:
        chosen = user.profile.display_name
    except ObjectDoesNotExist:
        chosen = ""
    return chosen.strip() or user.get_username()
