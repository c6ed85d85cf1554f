"""Run the reminder rules (or the weekly digest) once and deliver what is ready: for cron.

The same functions as the scheduled tasks (notifications/tasks.py), run in this process, so a
host without ``db_worker`` and ``crontask`` can send the mail from the system's cron:

    0 8 * * *    manage.py send_reminders            # learners' reminders, every day
    0 8 * * 1    manage.py send_reminders --digest   # managers' digests, on Mondays
    */10 * * * * manage.py send_reminders --pending  # retries of mail that failed

Running it twice, or on two hosts at once, sends nothing twice. ``--now`` runs the rules as of
another moment (a rehearsal, or a test with a frozen clock).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications import delivery, services


def moment(value: str) -> datetime.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--now takes an ISO date and time, e.g. 2026-12-07T08:00; got {value!r}.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Send the reminders (or, with --digest, the managers' weekly digests) due now."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--digest", action="store_true", help="send the weekly digests instead")
        group.add_argument(
            "--pending", action="store_true", help="only deliver mail that is ready (retries)"
        )
        parser.add_argument("--now", type=moment, help="run as of this moment (ISO, site time zone)")

    def handle(self, *, digest, pending, now, verbosity, **options):
        now = now or timezone.now()
        if pending:
            queued = []
        elif digest:
            queued = services.queue_digests(now=now)
        else:
            queued = services.queue_reminders(now=now)
        report = delivery.deliver_ready(now=now)
        if verbosity >= 1:
            for mail in queued:
                self.stdout.write(f"To {mail.to}: {mail.subject}")
            what = "digest" if digest else "reminder"
            self.stdout.write(
                f"{len(queued)} {what} mail{'s' if len(queued) != 1 else ''} queued; "
                f"{len(report.sent)} sent, {len(report.retrying)} to retry, "
                f"{len(report.failed)} failed, {len(report.withdrawn)} withdrawn."
            )
