"""Handing pending mail to the mail server, once, and trying again after a failure.

A mail is first *claimed*: one conditional UPDATE moves it from pending to sending, and only
the worker whose UPDATE changed the row sends it, on any database, however many workers run.
It is marked sent only after the server accepted it. A refusal or an error (a 4xx or 5xx
reply, a server that is down) puts it back to pending with ``next_attempt_at`` later
(``Mail.RETRY_MINUTES``), until ``Mail.MAX_ATTEMPTS``; then it is failed. A mail whose
person turned that kind off before it left is withdrawn, not sent.

The one window left is the worker dying after the server accepted a mail and before the row
says so: after ``Mail.CLAIM_MINUTES`` the claim is taken over and the mail sent again, with
the same Message-ID, so the receiving side can tell it is the same message.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from dataclasses import dataclass, field

from django.core.mail import mailers
from django.db.models import F, Q

from accounts.names import display_name

from .models import Mail
from .rendering import message
from .rules import retry_at
from .selectors import wants

logger = logging.getLogger(__name__)


@dataclass
class Delivered:
    """What one delivery round did, by mail id."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)


def _ready(now: datetime.datetime) -> Q:
    abandoned = now - datetime.timedelta(minutes=Mail.CLAIM_MINUTES)
    return Q(status=Mail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Mail.Status.SENDING, claimed_at__lt=abandoned
    )


def claim(mail_id: int, *, now: datetime.datetime) -> bool:
    """Take ``mail_id`` for sending, if it is ready and nobody else has it."""
    updated = Mail.objects.filter(_ready(now), pk=mail_id).update(
        status=Mail.Status.SENDING, claimed_at=now
    )
    return updated == 1


def deliver(mail_id: int, *, now: datetime.datetime, mailer=None, report: Delivered | None = None) -> Delivered:
    """Send one mail if it is ready: claim it, hand it to the server, record the outcome."""
    report = report if report is not None else Delivered()
    if not claim(mail_id, now=now):
        return report
    mail = Mail.objects.select_related("user__profile", "user__mail_preference").get(pk=mail_id)
    if not wants(mail.user, mail.kind):
        Mail.objects.filter(pk=mail_id).update(status=Mail.Status.WITHDRAWN, claimed_at=None)
        report.withdrawn.append(mail_id)
        return report
    try:
        (mailer or mailers.default).send_messages([message(mail, name=_chosen_name(mail.user))])
    except Exception as error:  # any refusal or failure: the mail is kept and tried again
        _failed(mail, error=error, now=now, report=report)
        if mailer is not None:
            _close_quietly(mailer)
        return report
    Mail.objects.filter(pk=mail_id).update(
        status=Mail.Status.SENT, sent_at=now, attempts=F("attempts") + 1, claimed_at=None, last_error=""
    )
    report.sent.append(mail_id)
    return report


def _chosen_name(user) -> str:
    """The name for the To header: the one the person gave, not a username."""
    name = display_name(user)
    return "" if name == user.get_username() else name


def _failed(mail: Mail, *, error: Exception, now: datetime.datetime, report: Delivered) -> None:
    attempts = mail.attempts + 1
    gave_up = attempts >= Mail.MAX_ATTEMPTS
    Mail.objects.filter(pk=mail.pk, status=Mail.Status.SENDING).update(
        status=Mail.Status.FAILED if gave_up else Mail.Status.PENDING,
        attempts=attempts,
        next_attempt_at=now if gave_up else retry_at(attempts=attempts, now=now, waits=Mail.RETRY_MINUTES),
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:1000],
    )
    (report.failed if gave_up else report.retrying).append(mail.pk)
    logger.warning(
        "Mail %s to %s not sent (attempt %s of %s): %s",
        mail.pk, mail.to, attempts, Mail.MAX_ATTEMPTS, error,
    )  # fmt: skip


def _close_quietly(mailer) -> None:
    # A connection that saw an error may be in any state: the next message opens a fresh one.
    with contextlib.suppress(Exception):
        mailer.close()


def deliver_ready(*, now: datetime.datetime, limit: int | None = None) -> Delivered:
    """Send every ready mail (pending and due, or abandoned by a dead worker), oldest first,
    over one connection to the mail server."""
    report = Delivered()
    ready = Mail.objects.filter(_ready(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    ids = list(ready[:limit] if limit else ready)
    if not ids:
        return report
    mailer = mailers.default
    try:
        for mail_id in ids:
            deliver(mail_id, now=now, mailer=mailer, report=report)
    finally:
        _close_quietly(mailer)
    return report
