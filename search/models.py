"""The search index: one row per searchable passage, made from the published content.

The engines index these rows, not the content tables: on PostgreSQL a generated ``tsvector``
column with a GIN index, on SQLite an FTS5 table kept in step by triggers (both created by
migration ``0001`` for their database only). ``search.index`` rebuilds the rows whenever the
content has changed.
"""

from django.db import models


class SearchDocument(models.Model):
    """A SearchDocument is one passage a search can find: a section of a lesson, a quiz
    question, or a condition of a decision matrix, with the page it links to."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Lessons"
        QUIZ = "quiz", "Quizzes"
        MATRIX = "matrix", "Decision matrix"

    kind = models.CharField(max_length=10, choices=Kind)
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    course_title = models.CharField(max_length=200, blank=True)
    # Published, in a published course: everyone may see it. Otherwise only those who may
    # preview drafts of its kind (accounts.roles.can_preview_drafts) find it.
    is_public = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return f"{self.title}: {self.heading}" if self.heading else self.title


class IndexState(models.Model):
    """The one IndexState row says which version of the content the documents were made from."""

    content_version = models.CharField(max_length=64)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"search index of content {self.content_version}"
