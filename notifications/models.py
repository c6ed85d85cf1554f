"""What the mail of the site is made of: people's choices, the messages, and what each one was for.

- ``MailPreference``: which kinds of mail a person receives (all, until they say otherwise).
- ``Mail``: one message to one person, kept from the moment a rule decides to send it until
  the mail server accepts it, and afterwards as the record of what was sent (an outbox).
- ``Sending``: that one rule mailed one person about one subject in one period. Its unique
  constraint is what makes each reminder, digest and nudge go at most once per period, however
  many workers or cron jobs run at the same time.
"""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """The kinds of mail a person can turn off, each with its own unsubscribe link."""

    REMINDERS = "reminders", "Reminders about my courses and reviews"
    DIGEST = "digest", "The weekly digest of the teams I manage"
    NUDGES = "nudges", "Reminders my team's managers send me"

    @property
    def noun(self) -> str:
        """The kind in a sentence: "Stop sending you {noun}"."""
        return KIND_NOUNS[self]


KIND_NOUNS = {
    Kind.REMINDERS: "reminders about your courses and reviews",
    Kind.DIGEST: "the weekly digest of the teams you manage",
    Kind.NUDGES: "reminders from your team's managers",
}


class Rule(models.TextChoices):
    """Why a mail is sent. The first four are ``progress.attention.Reason`` values."""

    NOT_STARTED = "not_started", "Not started"
    INACTIVE = "inactive", "Inactive"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    REVIEWS_DUE = "reviews_due", "Reviews due"
    DIGEST = "digest", "Weekly digest"
    NUDGE = "nudge", "Nudge from a manager"


class MailPreference(models.Model):
    """A MailPreference holds which kinds of mail a person receives; without one, every kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_preference",
    )
    reminders = models.BooleanField(
        "Reminders", default=True, help_text="Courses not started, waiting, due or overdue, and reviews due."
    )
    digest = models.BooleanField(
        "Weekly digest", default=True, help_text="For team managers: who needs attention and what changed."
    )
    nudges = models.BooleanField(
        "Nudges", default=True, help_text="A reminder one of your team's managers sends you."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        chosen = [kind.value for kind in Kind if self.wants(kind)]
        return f"{self.user}: {', '.join(chosen) or 'no mail'}"

    def wants(self, kind: str) -> bool:
        return getattr(self, Kind(kind).value)


class Mail(models.Model):
    """A Mail is one message to one person, from the decision to send it to its delivery.

    Delivery (``notifications.delivery``) claims a pending mail, hands it to the mail server
    and marks it sent only once the server accepted it; a refused or failed attempt puts it
    back, to be retried after ``RETRY_MINUTES``, up to ``MAX_ATTEMPTS`` times.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        WITHDRAWN = "withdrawn", "Withdrawn (the person turned this mail off)"

    MAX_ATTEMPTS = 5
    # The wait after the 1st, 2nd, ... failed attempt.
    RETRY_MINUTES = (5, 30, 120, 480)
    # A mail claimed longer ago than this belongs to a worker that died while sending it.
    CLAIM_MINUTES = 10

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=20, choices=Kind)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    unsubscribe_url = models.URLField(max_length=500)
    # The same Message-ID on every attempt: a server that got a message twice can tell.
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which delivery round claimed it: a random token, new for each round.
    claimed_by = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self):
        return f"{self.subject} to {self.to} ({self.get_status_display().lower()})"


class Sending(models.Model):
    """A Sending records that one rule mailed one person about one subject in one period.

    ``subject`` names what the mail was about (``course:<id>``, ``team:<id>``, or empty for the
    learner's reviews); ``period`` is an ISO week (``2026-W49``) or, for nudges, a day
    (``2026-12-02``). A second Sending for the same four is refused by the database.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20, choices=Rule)
    subject = models.CharField(max_length=40, blank=True)
    period = models.CharField(max_length=10)
    mail = models.ForeignKey(Mail, on_delete=models.CASCADE, related_name="sendings")
    # Who asked for it: the manager, for a nudge.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule", "subject", "period"], name="one_sending_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} to {self.user} ({self.subject or 'reviews'}, {self.period})"
