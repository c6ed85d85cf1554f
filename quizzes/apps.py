"""The quizzes app; registers its content-file handler and its assessments when Django starts."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from core import content
        from lessons import assessments

        from . import content as quiz_files
        from .assessments import QuizAssessments

        # After courses (10) and lessons (30): a quiz names its course and its lesson.
        content.register(
            "quizzes", order=40, load=quiz_files.load_quizzes, export=quiz_files.export_quizzes
        )
        # The catalog, course and lesson pages (in lessons, below us) ask for our quizzes.
        assessments.register(QuizAssessments())
