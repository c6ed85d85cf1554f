from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Progress"

    def ready(self):
        from lessons import assessments

        from .overview import MasteryAssessments

        assessments.register(MasteryAssessments())
