"""The quizzes app; registers its content-file handler when Django starts."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from core import content

        from . import content as quiz_files

        # After courses (10) and lessons (30): a quiz names its course and its lesson.
        content.register(
            "quizzes", order=40, load=quiz_files.load_quizzes, export=quiz_files.export_quizzes
        )
