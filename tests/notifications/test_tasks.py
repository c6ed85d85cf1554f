"""The tasks, their schedule, and ``manage.py send_reminders`` for cron users."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.core.management import CommandError, call_command

from accounts.models import Membership
from notifications import tasks
from notifications.models import Mail
from tests.factories import make_course, make_person, make_team

ROOT = Path(__file__).resolve().parents[2]
MONDAY = datetime.datetime(2025, 1, 13, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ward(db):
    course = make_course(slug="imaging-ai", title="Imaging AI", lessons=2)
    ben = make_person(username="ben")
    team = make_team(slug="ward-7", name="Ward 7", courses=[course], managers=[make_person(username="mona")],
                     members=[ben], assigned_at=MONDAY - datetime.timedelta(days=10))  # fmt: skip
    Membership.objects.filter(team=team).update(joined_at=MONDAY - datetime.timedelta(days=30))
    return ben


def scheduled() -> dict[str, CronTrigger]:
    return {job.name: job.trigger for job in scheduler.get_jobs()}


def test_the_scheduler_runs_reminders_daily_digests_on_mondays_and_retries_often():
    jobs = scheduled()
    assert str(jobs["send_reminders"]) == str(CronTrigger.from_crontab("0 8 * * *"))
    assert str(jobs["send_digests"]) == str(CronTrigger.from_crontab("0 8 * * mon"))
    assert str(jobs["deliver_pending"]) == str(CronTrigger.from_crontab("*/10 * * * *"))
    assert "deliver_mail" not in jobs  # enqueued by a nudge, not by the clock
    start = datetime.datetime(2025, 1, 13, 9, 0, tzinfo=datetime.UTC)  # a Monday, after 08:00
    assert jobs["send_reminders"].get_next_fire_time(None, start) == datetime.datetime(2025, 1, 14, 8, 0, tzinfo=datetime.UTC)
    assert jobs["send_digests"].get_next_fire_time(None, start) == datetime.datetime(2025, 1, 20, 8, 0, tzinfo=datetime.UTC)


def test_the_tasks_run_through_djangos_task_backend(ward, mailoutbox):
    result = tasks.send_reminders.enqueue()  # the immediate backend in tests: run at once
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"queued": 1, "sent": 1, "retrying": 0, "failed": 0, "withdrawn": 0}
    assert tasks.send_reminders.enqueue().return_value["queued"] == 0
    assert tasks.send_digests.enqueue().return_value["sent"] == 1
    assert [m.to for m in mailoutbox] == [["ben@example.com"], ["mona@example.com"]]


def test_deliver_pending_sends_what_is_due_and_deliver_mail_one_mail(ward, mailoutbox):
    from notifications import services

    (first,) = services.queue_reminders(now=MONDAY)
    assert tasks.deliver_mail.enqueue(first.pk).return_value["sent"] == 1
    assert tasks.deliver_mail.enqueue(first.pk).return_value["sent"] == 0  # sent already
    services.queue_digests(now=MONDAY)
    assert tasks.deliver_pending.enqueue().return_value["sent"] == 1
    assert len(mailoutbox) == 2


def test_send_reminders_prints_what_it_sent_and_sends_nothing_twice(ward, mailoutbox):
    out = io.StringIO()
    call_command("send_reminders", "--now", "2025-01-13T08:00", stdout=out)
    assert out.getvalue().splitlines() == [
        "To ben@example.com: Imaging AI is waiting for you",
        "1 reminder mail queued; 1 sent, 0 to retry, 0 failed, 0 withdrawn.",
    ]
    again = io.StringIO()
    call_command("send_reminders", "--now", "2025-01-13T09:00", stdout=again)
    assert again.getvalue() == "0 reminder mails queued; 0 sent, 0 to retry, 0 failed, 0 withdrawn.\n"
    digest = io.StringIO()
    call_command("send_reminders", "--digest", "--now", "2025-01-13T08:00", stdout=digest)
    assert "To mona@example.com: Ward 7 this week: 1 person to look at" in digest.getvalue()
    assert len(mailoutbox) == 2


def test_send_reminders_pending_only_retries(ward, mailoutbox):
    from notifications import services

    services.queue_reminders(now=MONDAY)
    out = io.StringIO()
    call_command("send_reminders", "--pending", "--now", "2025-01-13T08:00", stdout=out)
    assert out.getvalue() == "0 reminder mails queued; 1 sent, 0 to retry, 0 failed, 0 withdrawn.\n"
    assert Mail.objects.get().status == Mail.Status.SENT


def test_send_reminders_refuses_a_moment_it_cannot_read(db):
    with pytest.raises(CommandError, match="--now takes an ISO date and time"):
        call_command("send_reminders", "--now", "next tuesday")


def test_the_scheduler_process_starts_with_our_tasks_and_stops_on_sigterm(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env |= {"DJANGO_DEBUG": "1", "DJANGO_TASKS_BACKEND": "database", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "crontask.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "crontask", "--no-heartbeat"], cwd=ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while "Starting scheduler" not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
            assert "Loaded tasks from notifications." in log.read_text()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    # Stopped by the signal: cleanly once the scheduler runs, or by crontask's own handler when
    # the signal comes while it is still starting (a busy machine, seen on CI's PostgreSQL run).
    text = log.read_text()
    assert "Shutting down scheduler" in text or "Received SIGTERM" in text, text
