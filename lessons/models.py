"""Lessons, written in Markdown by instructors, and learners' completion of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.rendering import outline, render_markdown


class Lesson(models.Model):
    """A Lesson is one page of a course, authored in Markdown and stored rendered."""

    MAX_BODY_LENGTH = 60_000
    # A lesson with at least this many sections gets a table of contents.
    TOC_MIN_HEADINGS = 3

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    body = models.TextField(
        help_text="Markdown. Embed a widget with a line like [[matrix:base-strength]]."
    )
    body_html = models.TextField(blank=True, editable=False)
    headings = models.JSONField(
        default=list, blank=True, editable=False, help_text="The body's h2 and h3 headings."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    estimated_minutes = models.PositiveSmallIntegerField(default=5)
    reviewed_on = models.DateField(null=True, blank=True)
    sources = models.TextField(
        blank=True, help_text="Markdown: where the lesson's facts come from."
    )
    sources_html = models.TextField(blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_lessons",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html", "sources_html", "headings"])

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="unique_lesson_slug_per_course"
            ),
        ]
        indexes = [models.Index(fields=["course", "status", "order"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.headings = outline(self.body_html)
        self.sources_html = render_markdown(self.sources)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("lessons:detail", kwargs={"course": self.course.slug, "lesson": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def table_of_contents(self) -> list[dict]:
        """The headings to list at the top of the page, nested; empty for short lessons."""
        if len(self.headings) < self.TOC_MIN_HEADINGS:
            return []
        return nest_headings(self.headings)


def nest_headings(headings: list[dict]) -> list[dict]:
    """``headings`` (h2 and h3, in order) as a tree: each h2 with its h3s in ``children``.

    The table of contents numbers its top-level entries only; listing sub-headings as
    siblings made them take numbers too (1, 2, 3, 4, then 9), so they nest under their
    section. An h3 before the first h2 has no section and stands at the top level.
    """
    tree: list[dict] = []
    for heading in headings:
        entry = {**heading, "children": []}
        if heading.get("level", 2) > 2 and tree and tree[-1].get("level", 2) == 2:
            tree[-1]["children"].append(entry)
        else:
            tree.append(entry)
    return tree


class Objective(models.Model):
    """An Objective is one thing a lesson teaches a learner to do, which checks, predict blocks
    and quiz questions are tagged with to test it; mastery is worked out per objective.

    ``key`` is unique within the course (content files and tags name objectives by it);
    ``course`` is the lesson's, copied on save so the database can hold that rule.
    """

    MAX_TEXT_LENGTH = 300

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="objectives", editable=False
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="objectives")
    key = models.SlugField(
        max_length=80,
        help_text="Unique in the course; blocks and quiz questions are tagged with it.",
    )
    text = models.CharField(
        max_length=MAX_TEXT_LENGTH,
        help_text="What the learner will be able to do, e.g. “Tell a format problem from a "
        "knowledge problem”.",
    )
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)  # moves the page cache's content version

    class Meta:
        ordering = ["lesson", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="unique_objective_key_per_course"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.course_id = self.lesson.course_id
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            course_id = self.lesson.course_id
        except Lesson.DoesNotExist:  # no lesson chosen yet: the field reports that
            return
        if course_id and self.key:
            taken = Objective.objects.filter(course_id=course_id, key=self.key).exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError({"key": f"This course already has an objective “{self.key}”."})


class LessonCompletion(models.Model):
    """A LessonCompletion records that a learner finished a lesson, once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_completion"),
        ]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self):
        return f"{self.user} completed {self.lesson}"
