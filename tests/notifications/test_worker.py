"""The real worker: ``manage.py db_worker`` processes run the queued tasks against the test
database and the mail arrives at a real SMTP server on loopback.

The tasks are enqueued here with django-tasks-db's database backend, as the web app and the
scheduler do in production; two ``db_worker --batch`` processes (two hosts' workers) then run
everything queued and exit. The scheduler fired twice (two hosts whose cron both enqueued
the daily run) sends each reminder once. PostgreSQL only: the worker processes need a
database the test's own connection has committed to, which an in-memory SQLite is not.
"""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Membership
from notifications import tasks
from notifications.models import Mail
from tests.factories import at, make_course, make_person, make_team

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL shared with the worker"),
]


def worker_env(smtp_port: int) -> dict:
    """The environment of a worker process: this test's database, mail to the test's server."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    return env | {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
    }


def run_workers(count: int, smtp_port: int) -> list[subprocess.CompletedProcess]:
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"test-worker-{n}"], cwd=ROOT, env=worker_env(smtp_port),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for n in range(count)
    ]
    finished = []
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(worker.args, worker.returncode, output))
    return finished


@pytest.fixture
def ward():
    course = make_course(slug="imaging-ai", title="Imaging AI", lessons=2)
    members = [make_person(username=f"learner-{n}") for n in range(5)]
    team = make_team(slug="ward-7", name="Ward 7", courses=[course], managers=[make_person(username="mona")],
                     members=members, assigned_at=at(days_ago=10))  # fmt: skip
    Membership.objects.filter(team=team).update(joined_at=at(days_ago=20))
    return members


def test_two_worker_processes_run_the_queued_reminders_and_the_mail_arrives_once(ward, smtp_mail, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The daily run, enqueued twice (two schedulers), and the digest.
    for _ in range(2):
        tasks.send_reminders.enqueue()
    tasks.send_digests.enqueue()
    assert DBTaskResult.objects.ready().count() == 3
    assert smtp_mail.messages == []

    for worker in run_workers(2, smtp_mail.port):
        assert worker.returncode == 0, worker.stdout
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3, list(
        DBTaskResult.objects.values_list("status", "traceback")
    )
    received = Counter(message.recipients[0] for message in smtp_mail.messages)
    assert received == {f"learner-{n}@example.com": 1 for n in range(5)} | {"mona@example.com": 1}
    learner = smtp_mail.to("learner-0@example.com")[0]
    assert learner.subject == "Imaging AI is waiting for you"
    assert learner.header("List-Unsubscribe").startswith("<http")
    assert set(Mail.objects.values_list("status", flat=True)) == {Mail.Status.SENT}


def test_a_nudge_is_delivered_by_the_worker(ward, smtp_mail, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    team = Membership.objects.get(user=ward[0]).team
    manager = Membership.objects.get(team=team, role="manager").user
    client.force_login(manager)
    membership = Membership.objects.get(user=ward[0])
    response = client.post(f"/teams/{team.slug}/members/{membership.pk}/nudge/")
    assert response.status_code == 303
    assert smtp_mail.messages == []  # queued, not sent by the request
    (worker,) = run_workers(1, smtp_mail.port)
    assert worker.returncode == 0, worker.stdout
    (nudge,) = smtp_mail.messages
    assert nudge.recipients == ["learner-0@example.com"]
    assert nudge.subject == "A reminder from mona (Ward 7)"
    assert Mail.objects.get().sent_at <= timezone.now()
