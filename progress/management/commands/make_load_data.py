"""`manage.py make_load_data --learners N --teams T --seed S`: a synthetic cohort for load tests.

``--learners 10000 --teams 10 --everyone`` (what ``make bench`` runs) gives ten teams of 1,000
and one of all 10,000 (``load-everyone``): the dashboards at both sizes.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from courses.models import Course
from progress.cohort import COHORT_PASSWORD, make_cohort


class Command(BaseCommand):
    help = (
        "Create a deterministic synthetic cohort (learners, teams with managers, enrolments, "
        "completions, quiz attempts, matrix predictions, review cards) over the loaded content. "
        "Replaces an "
        "earlier cohort with the same prefix. Refuses to run with debug off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=1000)
        parser.add_argument("--teams", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="load", help="username and team slug prefix")
        parser.add_argument(
            "--everyone",
            action="store_true",
            help="also make one team of every learner, with its own manager (<prefix>-everyone)",
        )
        parser.add_argument("--force", action="store_true", help="run even with debug off")

    def handle(self, *args, learners, teams, seed, prefix, everyone, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create synthetic accounts with DJANGO_DEBUG off. "
                "Pass --force if this really is a load-test database."
            )
        if learners < 0 or teams < 1:
            raise CommandError("--learners must be 0 or more and --teams at least 1.")
        if not Course.objects.filter(is_published=True).exists():
            raise CommandError("No published course is loaded: run `manage.py load_content content` first.")
        started = time.monotonic()
        stats = make_cohort(
            learners=learners, teams=teams, seed=seed, prefix=prefix, everyone=everyone
        )
        # The planner's statistics, as a production database has them (PostgreSQL's autovacuum
        # gathers them in its own time): without them the first queries over a million fresh
        # rows are planned blind (the team mastery read took 2 s instead of 0.25 s on
        # PostgreSQL at 10,000 learners).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Created {stats.summary()} in {time.monotonic() - started:.1f}s (statistics "
            f"gathered). Every synthetic account's password is '{COHORT_PASSWORD}'."
        )
