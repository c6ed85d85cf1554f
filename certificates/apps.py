"""The certificates app (layer 4: it reads lessons and quizzes, and progress reads it).

When Django starts it registers the system check that refuses to run with debug off and no
signing key. Certificates are issued by the scheduled task in ``tasks.py``, not in the
request that completes a course (see ``services``).
"""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from django.core import checks

        from . import signing

        checks.register(signing.check_signing_key, checks.Tags.security)
