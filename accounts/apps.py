"""The accounts app: wires the Instructors group sync, log-in failure counting and checks."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self):
        from . import links, roles, throttling  # noqa: F401  (links registers its deploy check)

        # Keeps the Instructors group's permissions in step with models added after its migration.
        post_migrate.connect(
            roles.sync_after_migrate, sender=self, dispatch_uid="accounts.roles.sync"
        )
        user_login_failed.connect(
            throttling.record_login_failure, dispatch_uid="accounts.throttling.login_failed"
        )
