"""A Certificate records that a learner completed a course, as it stood then; its events
record who revoked or reinstated it, when and why.

A certificate is a snapshot: the learner's display name, the course's title and slug, when
the course was completed and what was done (``record``) are copied when it is issued, so
later edits to the course or the learner's name never change a certificate already given.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


def new_code() -> str:
    """A verification code: 128 random bits in 22 URL-safe characters (at least 96 asked)."""
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    """A Certificate says that one learner completed one course, at most once per course."""

    # The W3C Bitstring Status List's minimum size (herd privacy): each certificate holds one
    # random bit of it, so at most this many certificates can be issued.
    STATUS_LIST_BITS = 131072
    MAX_NAME_LENGTH = 150
    CODE_LENGTH = 22

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A deleted account leaves the certificate verifiable: it keeps its own snapshot.
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    status_index = models.PositiveIntegerField(
        unique=True, help_text="This certificate's bit in the published revocation list."
    )
    display_name = models.CharField(
        max_length=MAX_NAME_LENGTH, blank=True, help_text="The learner's name when issued."
    )
    course_title = models.CharField(max_length=200)
    course_slug = models.SlugField()
    completed_at = models.DateTimeField()
    issued_at = models.DateTimeField(auto_now_add=True)
    record = models.JSONField(
        default=dict, help_text="What was completed: the lessons and the quizzes passed."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_course"),
            models.CheckConstraint(
                condition=models.Q(status_index__lt=131072), name="status_index_in_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title}: {self.display_name or 'name not given'} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.code})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CertificateEvent(models.Model):
    """A CertificateEvent is one revocation or reinstatement: who, when and why."""

    class Action(models.TextChoices):
        REVOKED = "revoked", "Revoked"
        REINSTATED = "reinstated", "Reinstated"

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_name = models.CharField(max_length=150, help_text="Who, kept if the account goes.")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by_name} at {self.at:%Y-%m-%d %H:%M}"
