from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from . import content, content_files

        content.register(
            "courses",
            order=10,
            load=content_files.load_courses,
            export=content_files.export_courses,
        )
