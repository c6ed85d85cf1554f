"""Races on PostgreSQL: several workers (or hosts' cron jobs) running the mail at the same
instant send each mail once.

Threads with their own database connections are released together (``at_once``, the house
pattern of tests/security/test_concurrency.py) through the same functions the tasks and
``manage.py send_reminders`` call; mail goes to a real SMTP server on loopback. SQLite
serialises writers, so there is no race to see there: skipped unless PostgreSQL
(``DATABASE_URL=postgres://... DJANGO_TEST_DB_NAME=test_<you>``).
"""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Membership
from notifications import delivery, services, tasks
from notifications.models import Mail, Sending
from tests.factories import make_course, make_person, make_team
from tests.security.test_concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
    ),
]

LEARNERS = 12


@pytest.fixture
def ward():
    """A team whose members never started the course assigned ten days ago, and a manager."""
    course = make_course(slug="imaging-ai", title="Imaging AI", lessons=2)
    members = [make_person(username=f"learner-{n:02d}") for n in range(LEARNERS)]
    manager = make_person(username="mona")
    team = make_team(
        slug="ward-7", name="Ward 7", courses=[course], managers=[manager], members=members,
        assigned_at=timezone.now() - datetime.timedelta(days=10),
    )  # fmt: skip
    Membership.objects.filter(team=team).update(joined_at=timezone.now() - datetime.timedelta(days=20))
    return {"team": team, "members": members, "manager": manager}


def test_four_workers_running_the_reminders_at_once_send_each_once(ward, smtp_mail):
    now = timezone.now()
    results = at_once(4, lambda _: None, lambda _: tasks.run_reminders(now=now))
    assert sum(result["queued"] for result in results) == LEARNERS
    assert sum(result["sent"] for result in results) == LEARNERS
    received = Counter(message.recipients[0] for message in smtp_mail.messages)
    assert received == {f"learner-{n:02d}@example.com": 1 for n in range(LEARNERS)}
    assert Sending.objects.count() == Mail.objects.count() == LEARNERS
    assert set(Mail.objects.values_list("status", flat=True)) == {Mail.Status.SENT}


def test_four_workers_running_the_digest_at_once_send_it_once(ward, smtp_mail):
    now = timezone.now()
    at_once(4, lambda _: None, lambda _: tasks.run_digests(now=now))
    assert [m.recipients for m in smtp_mail.messages] == [["mona@example.com"]]


def test_four_workers_delivering_the_same_pending_mail_send_each_once(ward, smtp_mail):
    now = timezone.now()
    queued = services.queue_reminders(now=now)
    assert len(queued) == LEARNERS
    reports = at_once(4, lambda _: None, lambda _: delivery.deliver_ready(now=now))
    sent = [mail_id for report in reports for mail_id in report.sent]
    assert sorted(sent) == sorted(mail.pk for mail in queued)
    assert len(smtp_mail.messages) == LEARNERS


def test_two_managers_nudging_one_member_at_once_send_one_nudge(ward, smtp_mail):
    other = make_person(username="olu")
    team = ward["team"]
    Membership.objects.create(team=team, user=other, role=Membership.Role.MANAGER)
    member = ward["members"][0]
    senders = [ward["manager"], other]

    def prepare(index):
        membership = Membership.objects.select_related("user__profile", "user__mail_preference", "team").get(
            team=team, user=member
        )
        return membership, senders[index]

    def work(prepared):
        membership, sender = prepared
        try:
            services.nudge(team=membership.team, membership=membership, sender=sender, now=timezone.now())
        except services.AlreadyNudged:
            return "refused"
        return "nudged"

    assert sorted(at_once(2, prepare, work)) == ["nudged", "refused"]
    delivery.deliver_ready(now=timezone.now())
    assert [m.recipients for m in smtp_mail.messages] == [[member.email]]
    assert Sending.objects.filter(user=member, rule="nudge").count() == 1
