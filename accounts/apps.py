"""The accounts app: wires the Instructors group sync, log-in failure counting, session
clocks and the header's name, and the SITE_URL deploy check."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self):
        from . import links, roles, sessions, throttling  # noqa: F401  (links: a deploy check)

        # Keeps the Instructors group's permissions in step with models added after its migration.
        post_migrate.connect(
            roles.sync_after_migrate, sender=self, dispatch_uid="accounts.roles.sync"
        )
        user_login_failed.connect(
            throttling.record_login_failure, dispatch_uid="accounts.throttling.login_failed"
        )
        user_logged_in.connect(sessions.stamp_login, dispatch_uid="accounts.sessions.stamp_login")
        user_logged_in.connect(
            sessions.stamp_display_name, dispatch_uid="accounts.sessions.stamp_display_name"
        )
