"""``manage.py issue_certificates``: issue every certificate already earned but not held.

Certificates are issued when a lesson completion or a quiz pass makes a course complete. Run
this once after deploying certificates, for learners who completed a course before; it is
safe to run again at any time (it issues only what is missing, once).
"""

from django.core.management.base import BaseCommand

from certificates.services import issue_missing


class Command(BaseCommand):
    help = "Issue the certificates of every course already completed that has none yet."

    def handle(self, *args, **options):
        issued = issue_missing()
        self.stdout.write(f"Issued {issued} certificate{'s' if issued != 1 else ''}.")
