"""Teams of learners, their managers, and joining a team by invite link."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


def new_invite_code() -> str:
    return secrets.token_urlsafe(16)


class Team(models.Model):
    """A Team is a group of learners, with managers, assigned some courses."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    invite_code = models.CharField(max_length=64, unique=True, default=new_invite_code)
    courses = models.ManyToManyField("courses.Course", blank=True, related_name="teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("progress:team", kwargs={"team": self.slug})


class Membership(models.Model):
    """A Membership gives a user a role (member or manager) in one Team."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MANAGER = "manager", "Manager"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.team}"
