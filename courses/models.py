"""Courses (the three tracks) and learners' enrolment in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.rendering import render_markdown


class Course(models.Model):
    """A Course is one track of the curriculum: an ordered set of lessons and quizzes."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two plain sentences shown in the catalog.")
    description = models.TextField(blank=True, help_text="Markdown, shown on the course overview.")
    description_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered here, on every save (the admin's, the content loader's), so no request
        # renders Markdown and no other app has to keep this field up to date.
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:overview", kwargs={"course": self.slug})


class Enrollment(models.Model):
    """An Enrollment records that a learner started a course, and where to resume it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment"),
        ]

    def __str__(self):
        return f"{self.user} in {self.course}"
