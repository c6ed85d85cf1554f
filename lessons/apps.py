from django.apps import AppConfig
from django.db.models.signals import pre_save


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from courses import content
        from courses.models import Course

        from . import content_files, receivers

        pre_save.connect(
            receivers.render_course_description,
            sender=Course,
            dispatch_uid="lessons.render_course_description",
        )
        content.register(
            "lessons",
            order=30,
            load=content_files.load_lessons,
            export=content_files.export_lessons,
        )
