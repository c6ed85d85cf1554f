"""The base layer's app config: it has no models, only shared code and a template tag library."""

from django.apps import AppConfig
from django.core.signals import request_finished


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .after_response import run_pending

        request_finished.connect(run_pending, dispatch_uid="core.after_response")
