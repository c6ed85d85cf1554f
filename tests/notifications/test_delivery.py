"""Delivery over real SMTP (notifications/delivery.py): what a mail carries, and what happens
when the server refuses it or a worker dies while sending."""

import datetime
import re

import pytest
from django.conf import settings

from accounts.models import Profile
from notifications import delivery
from notifications.models import Kind, Mail, MailPreference
from notifications.rendering import compose
from notifications.tokens import read_token
from tests.factories import make_person

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def person():
    user = make_person(username="ann")
    Profile.objects.create(user=user, display_name="Ann Lee")
    return user


def queued(user, *, kind=Kind.REMINDERS, now=NOW) -> Mail:
    mail = compose(
        user=user, kind=kind, subject="Imaging AI is due on Friday", template="reminder",
        context={"lines": []}, now=now,
    )  # fmt: skip
    mail.save()
    return mail


def test_a_mail_arrives_with_both_bodies_and_one_click_unsubscribe_headers(person, smtp_mail):
    mail = queued(person)
    report = delivery.deliver_ready(now=NOW)
    assert report.sent == [mail.pk]
    (received,) = smtp_mail.messages
    assert received.recipients == ["ann@example.com"]
    assert received.header("To") == "Ann Lee <ann@example.com>"
    assert received.header("From") == settings.DEFAULT_FROM_EMAIL
    assert received.subject == "Imaging AI is due on Friday"
    assert received.header("Message-ID") == mail.message_id
    assert received.header("Auto-Submitted") == "auto-generated"
    assert received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", received.header("List-Unsubscribe")).group(1)
    assert link.startswith(settings.SITE_URL + "/mail/unsubscribe/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_token(token) == read_token(token)
    assert (read_token(token).user_id, read_token(token).kind) == (person.pk, Kind.REMINDERS)
    # The same link at the foot of both bodies, and the preferences page.
    assert link in received.text and link in received.html
    assert settings.SITE_URL + "/account/email/" in received.text
    assert received.text.startswith("Hello Ann Lee,")
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.sent_at) == (Mail.Status.SENT, 1, NOW)


def test_a_refused_mail_is_retried_later_and_arrives_once(person, smtp_mail):
    mail = queued(person)
    smtp_mail.refuse(1)
    first = delivery.deliver_ready(now=NOW)
    assert (first.sent, first.retrying) == ([], [mail.pk])
    assert smtp_mail.refused == 1 and smtp_mail.messages == []
    mail.refresh_from_db()
    assert mail.status == Mail.Status.PENDING and mail.attempts == 1
    assert "451" in mail.last_error
    assert mail.next_attempt_at == NOW + datetime.timedelta(minutes=Mail.RETRY_MINUTES[0])

    # Not before its time; then once, however many rounds run.
    assert delivery.deliver_ready(now=NOW + datetime.timedelta(minutes=1)).sent == []
    later = NOW + datetime.timedelta(minutes=Mail.RETRY_MINUTES[0])
    assert delivery.deliver_ready(now=later).sent == [mail.pk]
    assert delivery.deliver_ready(now=later).sent == []
    assert [m.header("Message-ID") for m in smtp_mail.messages] == [mail.message_id]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (Mail.Status.SENT, 2, "")


def test_a_mail_refused_for_good_is_not_tried_again(person, smtp_mail):
    mail = queued(person)
    smtp_mail.refuse(1, "550 5.7.1 Message rejected")
    assert delivery.deliver_ready(now=NOW).failed == [mail.pk]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Mail.Status.FAILED, 1)
    assert "550" in mail.last_error
    assert delivery.deliver_ready(now=NOW + datetime.timedelta(days=1)).sent == []
    assert smtp_mail.messages == []


def test_a_server_that_is_down_is_retried_until_the_last_attempt(person, settings):
    from tests.smtp import free_port

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2}}}  # fmt: skip
    mail = queued(person)
    now = NOW
    for attempt in range(1, Mail.MAX_ATTEMPTS + 1):
        report = delivery.deliver_ready(now=now)
        mail.refresh_from_db()
        assert mail.attempts == attempt
        if attempt < Mail.MAX_ATTEMPTS:
            assert report.retrying == [mail.pk] and mail.status == Mail.Status.PENDING
            now = mail.next_attempt_at
        else:
            assert report.failed == [mail.pk] and mail.status == Mail.Status.FAILED
    assert "ConnectionRefusedError" in mail.last_error
    assert delivery.deliver_ready(now=now + datetime.timedelta(days=1)).failed == []


def test_a_mail_claimed_by_another_worker_is_left_to_it(person, smtp_mail):
    mail = queued(person)
    assert delivery.claim([mail.pk], now=NOW) == [mail]
    assert delivery.claim([mail.pk], now=NOW) == []  # the second worker's UPDATE changes nothing
    assert delivery.deliver_ready(now=NOW + datetime.timedelta(minutes=1)).sent == []
    assert smtp_mail.messages == []


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over(person, smtp_mail):
    mail = queued(person)
    assert delivery.claim([mail.pk], now=NOW) == [mail]
    later = NOW + datetime.timedelta(minutes=Mail.CLAIM_MINUTES, seconds=1)
    assert delivery.deliver_ready(now=later).sent == [mail.pk]
    assert len(smtp_mail.messages) == 1


def test_a_kind_turned_off_after_the_decision_is_withdrawn(person, smtp_mail):
    reminder, nudge = queued(person), queued(person, kind=Kind.NUDGES)
    MailPreference.objects.create(user=person, reminders=False)
    report = delivery.deliver_ready(now=NOW)
    assert (report.withdrawn, report.sent) == ([reminder.pk], [nudge.pk])
    reminder.refresh_from_db()
    assert reminder.status == Mail.Status.WITHDRAWN
    assert [m.header("Message-ID") for m in smtp_mail.messages] == [nudge.message_id]


def test_a_name_with_a_line_break_cannot_add_a_header_or_a_recipient(person, smtp_mail):
    Profile.objects.filter(user=person).update(display_name="Ann\r\nBcc: x@evil.example")
    queued(person)
    assert delivery.deliver_ready(now=NOW).sent
    (received,) = smtp_mail.messages
    assert received.recipients == ["ann@example.com"]
    assert received.header("Bcc") == ""
    assert received.message["To"].addresses[0].addr_spec == "ann@example.com"


def test_a_long_round_dates_each_batch_when_it_is_claimed(person, mailoutbox, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", 1)
    first, second = queued(person), queued(person)
    assert delivery.deliver_ready(now=NOW).sent == [first.pk, second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sent_at == NOW < second.sent_at < NOW + datetime.timedelta(minutes=1)
