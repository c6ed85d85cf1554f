"""Teams of learners, their managers, the courses assigned to them, and people's profiles."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

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
        through="Assignment",
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


class Assignment(models.Model):
    """An Assignment is one course a Team follows, since when, and by when (if ever).

    The through table of ``Team.courses`` (it keeps the table of the plain many-to-many it
    replaced). ``assigned_at`` starts the clock of the "not started" reminder; ``due_on`` is
    the day the course should be complete by, the whole day included.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Optional. Members should complete the course by the end of this day; "
        "dashboards show who is late and reminders are sent as it nears.",
    )
    # Moves the members' personal pages (config/personal_pages.py) when the due date changes.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "accounts_team_courses"
        constraints = [
            models.UniqueConstraint(fields=["team", "course"], name="unique_assignment"),
        ]

    def __str__(self):
        return f"{self.course} for {self.team}"


class Profile(models.Model):
    """A Profile holds what people say about themselves beyond the login: the name others see.

    Optional: a user without one (or with an empty name) is shown by username
    (``accounts.names.display_name``).
    """

    DISPLAY_NAME_MAX_LENGTH = 150

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        blank=True,
        help_text="The name your team's managers and your certificates show; your username "
        "when empty.",
    )

    def __str__(self):
        return self.display_name or str(self.user)
