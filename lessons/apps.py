"""The lessons app; registers its content-file handler when Django starts."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from core import content

        from . import content_files

        content.register(
            "lessons",
            order=30,
            load=content_files.load_lessons,
            export=content_files.export_lessons,
        )
