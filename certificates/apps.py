"""The certificates app (layer 4: it reads lessons and quizzes, and progress reads it).

When Django starts it registers the system check that refuses to run with debug off and no
signing key, and the course overview's certificate section (``overview.py``, through
``lessons.assessments``: lessons may not read certificates). Certificates are issued by the scheduled task in ``tasks.py``, not in the
request that completes a course (see ``services``).
"""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from django.core import checks

        from lessons import assessments

        from . import signing
        from .overview import CertificateAssessments

        checks.register(signing.check_signing_key, checks.Tags.security)
        assessments.register(CertificateAssessments())
