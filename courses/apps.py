"""The courses app; registers its content-file handler when Django starts."""

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from core import content

        from . import content_files

        content.register(
            "courses",
            order=10,
            load=content_files.load_courses,
            export=content_files.export_courses,
        )
