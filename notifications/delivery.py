"""Handing pending mail to the mail server, once, and trying again after a failure.

A mail is first *claimed*: one conditional UPDATE moves ready mails from pending to sending
and stamps them with the round's random token; a round sends only the rows that carry its
token, so of several workers (on any database) only one sends each mail.
It is marked sent only after the server accepted it. A refusal or an error (a 4xx or 5xx
reply, a server that is down) puts it back to pending with ``next_attempt_at`` later
(``Mail.RETRY_MINUTES``), until ``Mail.MAX_ATTEMPTS``; then it is failed, and at once when
the server refused it for good (a 5xx reply, ``permanent``). A mail whose
person turned that kind off before it left is withdrawn, not sent.

The one window left is the worker dying after the server accepted a mail and before the row
says so: after ``Mail.CLAIM_MINUTES`` the claim is taken over and the mail sent again, with
the same Message-ID, so the receiving side can tell it is the same message.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.mail import mailers
from django.db.models import F, Q
from django.utils.crypto import get_random_string

from accounts.names import display_name

from .models import Mail
from .rendering import message
from .rules import retry_at
from .selectors import wants

logger = logging.getLogger(__name__)
# Mails claimed at a time by a delivery round. Small enough that the last of them is sent
# long before its claim could look abandoned, even when each send waits for the SMTP
# timeout (10 s): BATCH x 10 s is well under Mail.CLAIM_MINUTES.
BATCH = 20


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


def claim(mail_ids: Sequence[int], *, now: datetime.datetime) -> list[Mail]:
    """Take those of ``mail_ids`` that are ready and nobody else has (two queries)."""
    token = get_random_string(24)
    Mail.objects.filter(_ready(now), pk__in=list(mail_ids)).update(
        status=Mail.Status.SENDING, claimed_at=now, claimed_by=token
    )
    claimed = Mail.objects.filter(pk__in=list(mail_ids), claimed_by=token, status=Mail.Status.SENDING)
    return list(claimed.select_related("user__profile", "user__mail_preference").order_by("pk"))


def send_claimed(mails: Sequence[Mail], *, now: datetime.datetime, mailer=None) -> Delivered:
    """Hand each claimed mail to the mail server and record the outcome, one by one."""
    report = Delivered()
    for mail in mails:
        done = Mail.objects.filter(pk=mail.pk, claimed_by=mail.claimed_by)
        if not wants(mail.user, mail.kind):
            done.update(status=Mail.Status.WITHDRAWN, claimed_at=None)
            report.withdrawn.append(mail.pk)
            continue
        try:
            (mailer or mailers.default).send_messages([message(mail, name=_chosen_name(mail.user))])
        except Exception as error:  # any refusal or failure: the mail is kept and tried again
            _failed(mail, error=error, now=now, report=report)
            if mailer is not None:
                _close_quietly(mailer)
            continue
        done.update(
            status=Mail.Status.SENT, sent_at=now, attempts=F("attempts") + 1, claimed_at=None,
            last_error="",
        )  # fmt: skip
        report.sent.append(mail.pk)
    return report


def deliver(mail_id: int, *, now: datetime.datetime) -> Delivered:
    """Send one mail if it is ready (a nudge's, from its task)."""
    return send_claimed(claim([mail_id], now=now), now=now)


def _chosen_name(user) -> str:
    """The name for the To header: the one the person gave, not a username."""
    name = display_name(user)
    return "" if name == user.get_username() else name


def permanent(error: Exception) -> bool:
    """Whether the server refused for good (a 5xx reply: no such mailbox, message rejected),
    so that trying again would get the same answer; 4xx replies and network errors pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _failed(mail: Mail, *, error: Exception, now: datetime.datetime, report: Delivered) -> None:
    attempts = mail.attempts + 1
    gave_up = attempts >= Mail.MAX_ATTEMPTS or permanent(error)
    Mail.objects.filter(pk=mail.pk, claimed_by=mail.claimed_by).update(
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
    ``BATCH`` claimed at a time, over one connection to the mail server."""
    report = Delivered()
    ready = Mail.objects.filter(_ready(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    ids = list(ready[:limit] if limit else ready)
    if not ids:
        return report
    mailer = mailers.default
    started = time.monotonic()
    try:
        for start in range(0, len(ids), BATCH):
            # ``now`` moved on by the time this round has taken so far, so that each batch's
            # claim is dated when it was made (``now`` itself may be a test's frozen clock).
            at = now + datetime.timedelta(seconds=time.monotonic() - started if start else 0)
            done = send_claimed(claim(ids[start : start + BATCH], now=at), now=at, mailer=mailer)
            for name in ("sent", "retrying", "failed", "withdrawn"):
                getattr(report, name).extend(getattr(done, name))
    finally:
        _close_quietly(mailer)
    return report
