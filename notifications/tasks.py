"""The background work of the mail, as Django tasks, with the schedule the cron scheduler keeps.

- ``send_reminders``: every day at 08:00 (the site's time zone): learners' reminders.
- ``send_digests``: Mondays at 08:00: each manager's weekly digest.
- ``deliver_pending``: every ten minutes: mail whose earlier attempt failed, once it is due.
- ``deliver_mail``: one mail now (a manager's nudge).

``manage.py db_worker`` runs the tasks; ``manage.py crontask`` enqueues the scheduled ones at
their times (``@cron``). Without either, ``manage.py send_reminders`` (and ``--digest``) runs
the same functions from the system's cron. Running any of them twice sends nothing twice:
``notifications.services`` records each decision under a unique constraint and
``notifications.delivery`` claims each mail before sending it.
"""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from . import delivery, services


def _summary(queued, report: delivery.Delivered) -> dict:
    return {
        "queued": len(queued),
        "sent": len(report.sent),
        "retrying": len(report.retrying),
        "failed": len(report.failed),
        "withdrawn": len(report.withdrawn),
    }


def run_reminders(*, now=None) -> dict:
    """Queue today's reminders, then deliver everything ready."""
    now = now or timezone.now()
    queued = services.queue_reminders(now=now)
    return _summary(queued, delivery.deliver_ready(now=now))


def run_digests(*, now=None) -> dict:
    """Queue this week's digests, then deliver everything ready."""
    now = now or timezone.now()
    queued = services.queue_digests(now=now)
    return _summary(queued, delivery.deliver_ready(now=now))


@cron("0 8 * * *")
@task
def send_reminders() -> dict:
    return run_reminders()


@cron("0 8 * * Mon")
@task
def send_digests() -> dict:
    return run_digests()


@cron("*/10 * * * *")
@task
def deliver_pending() -> dict:
    return _summary([], delivery.deliver_ready(now=timezone.now()))


@task
def deliver_mail(mail_id: int) -> dict:
    return _summary([], delivery.deliver(mail_id, now=timezone.now()))
