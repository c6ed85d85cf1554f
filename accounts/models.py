"""Teams of learners, their managers, and joining a team by invite link."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

# Slugs that would collide with fixed paths under /teams/.
RESERVED_TEAM_SLUGS = frozenset({"join"})


def new_invite_code() -> str:
    return secrets.token_urlsafe(16)


def validate_team_slug(value: str) -> None:
    if value in RESERVED_TEAM_SLUGS:
        raise ValidationError(
            "“%(value)s” is reserved for the invite links; choose another slug.",
            code="reserved",
            params={"value": value},
        )


class Team(models.Model):
    """A Team is a group of learners, with managers, assigned some courses."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        unique=True,
        validators=[validate_team_slug],
        help_text="Used in the dashboard's address: /teams/<slug>/. “join” is reserved.",
    )
    invite_code = models.CharField(
        max_length=64,
        unique=True,
        default=new_invite_code,
        help_text="Anyone with the invite link can join. Renew it to retire the old link.",
    )
    courses = models.ManyToManyField(
        "courses.Course",
        blank=True,
        related_name="teams",
        help_text="The courses this team follows: the dashboard and the CSV cover these.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("progress:team", kwargs={"team": self.slug})

    def get_invite_path(self):
        return reverse("teams:join", kwargs={"invite_code": self.invite_code})


class Membership(models.Model):
    """A Membership gives a user a role (member or manager) in one Team."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MANAGER = "manager", "Manager"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10,
        choices=Role,
        default=Role.MEMBER,
        help_text="Managers see the team dashboard, share the invite link and remove members.",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.team}"
