"""The base layer's app config: it has no models, only shared code and a template tag library."""

from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .after_response import run_pending

        request_finished.connect(run_pending, dispatch_uid="core.after_response")

        from config.page_cache import content_saved

        # An edit in this process shows on its next shared page at once; see
        # page_cache.recent_content_version for edits made in other processes.
        for signal in (post_save, post_delete):
            signal.connect(content_saved, dispatch_uid=f"core.content_saved.{signal is post_save}")
