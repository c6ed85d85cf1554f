"""``manage.py seed_demo``: the demo team, its manager, an instructor and a dozen learners.

Development only: it refuses to run with debug off, because the demo accounts share a
password that is printed here and in the README. Safe to run again (``make run`` does).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from progress.demo import DEMO_PASSWORD, INSTRUCTOR, MANAGER, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo team with a manager, an instructor and twelve learners with synthetic "
        "progress over the loaded content. Development only (needs DJANGO_DEBUG=1); idempotent."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo makes accounts with a published password, so it runs only in "
                "development: set DJANGO_DEBUG=1. Nothing was created."
            )
        report = seed_demo()
        if report.created:
            self.stdout.write(f"Created: {', '.join(report.created)}.")
        if report.seeded:
            self.stdout.write(f"Synthetic progress for {len(report.seeded)} learner(s).")
        if not report.created and not report.seeded:
            self.stdout.write("The demo team was already there; nothing changed.")
        for reason in report.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped: {reason}"))
        team = report.team
        learners = report.learners
        self.stdout.write(
            self.style.SUCCESS("Demo logins (development only), all with the password ")
            + self.style.SUCCESS(f"{DEMO_PASSWORD}:")
        )
        self.stdout.write(f"  {MANAGER:<17} manager of {team.name}: {team.get_absolute_url()}")
        self.stdout.write(f"  {INSTRUCTOR:<17} instructor (staff): /admin/ and every team dashboard")
        self.stdout.write(f"  {learners[0]} ... {learners[-1]}  learners: /progress/")
