"""The certificates app (layer 4: it reads lessons and quizzes, and progress reads it).

When Django starts it connects ``services.on_progress`` to ``core.events.progress_made``, the
signal lessons and quizzes send after a completion or a pass commits, so a certificate is
issued the moment a course becomes complete without either app importing this one; and it
registers the system check that refuses to run with debug off and no signing key.
"""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from django.core import checks

        from core import events

        from . import services, signing

        events.progress_made.connect(
            services.on_progress, dispatch_uid="certificates.services.on_progress"
        )
        checks.register(signing.check_signing_key, checks.Tags.security)
