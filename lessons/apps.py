"""The lessons app; registers its content-file handler and the receiver that forgets a
deleted enrolment's recorded visit when Django starts."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from django.db.models.signals import post_delete

        from core import content
        from courses.models import Enrollment

        from . import content_files, services

        content.register(
            "lessons",
            order=30,
            load=content_files.load_lessons,
            export=content_files.export_lessons,
        )
        # A visit is remembered so as not to be written again for minutes (services.record_visit);
        # a deleted enrolment must be made again by the next one.
        post_delete.connect(services.forget_visits, sender=Enrollment, dispatch_uid="lessons.services.forget_visits")
