from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Progress"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Membership, Team
        from lessons import assessments

        from . import team_link
        from .overview import MasteryAssessments

        assessments.register(MasteryAssessments())
        # The header's team link (progress/team_link.py): warm at log-in, forgotten on change.
        user_logged_in.connect(team_link.warm_on_login, dispatch_uid="progress.team_link.login")
        post_save.connect(team_link.membership_changed, sender=Membership, dispatch_uid="progress.team_link.saved")
        post_delete.connect(team_link.membership_changed, sender=Membership, dispatch_uid="progress.team_link.deleted")
        post_save.connect(team_link.team_changed, sender=Team, dispatch_uid="progress.team_link.team")
