"""The background work of certificates, with the schedule the cron scheduler keeps.

- ``issue_recent_certificates``: every minute, the certificates earned by lessons completed and
  quizzes passed in the last ``RECENT`` (overlapping runs: a late or missed one loses nothing);
- ``issue_missing_certificates``: every night at 03:15, every certificate earned and not held.

``manage.py db_worker`` runs them and ``manage.py crontask`` enqueues them (README,
"Background work"); ``manage.py issue_certificates`` does the nightly one from the system's cron.
Both are safe to run at once or twice: ``services.issue_if_complete`` issues each once.
"""

import datetime

from crontask import cron
from django.tasks import task
from django.utils import timezone

from . import services

RECENT = datetime.timedelta(minutes=10)


@cron("* * * * *")
@task
def issue_recent_certificates() -> int:
    return services.issue_recent(since=timezone.now() - RECENT)


@cron("15 3 * * *")
@task
def issue_missing_certificates() -> int:
    return services.issue_missing()
