"""Courses (the three tracks) and learners' enrolment in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.rendering import render_markdown

from . import activity


class Course(models.Model):
    """A Course is one track of the curriculum: an ordered set of lessons and quizzes."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two plain sentences shown in the catalog.")
    description = models.TextField(blank=True, help_text="Markdown, shown on the course overview.")
    description_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField(default=False)
    # Activity information (courses/activity.py), shown on the overview before a learner starts.
    released_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the course was first released to learners. Needed to publish.",
    )
    last_reviewed_on = models.DateField(
        null=True,
        blank=True,
        help_text=(
            f"The day its content was last reviewed in full; empty if never since the release. "
            f"The course is due for review {activity.REVIEW_YEARS} years after this day (or "
            f"after the release), and shows as “review overdue” after that."
        ),
    )
    disclosure = models.TextField(
        blank=True,
        help_text=(
            "Markdown: the relevant financial relationships of everyone who wrote or reviewed "
            "the course, and any commercial support; write “None” if there are none. Needed "
            "to publish."
        ),
    )
    disclosure_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered here, on every save (the admin's, the content loader's), so no request
        # renders Markdown and no other app has to keep this field up to date.
        self.description_html = render_markdown(self.description)
        self.disclosure_html = render_markdown(self.disclosure)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:overview", kwargs={"course": self.slug})

    def clean(self):
        errors = activity.date_problems(
            released_on=self.released_on,
            last_reviewed_on=self.last_reviewed_on,
            today=timezone.localdate(),
        )
        if self.is_published:
            # Keyed on is_published, which every form that can publish shows (the change
            # list's too); an empty disclosure must not read as "nothing to disclose".
            missing = [
                label
                for label, value in (
                    ("a release date", self.released_on),
                    ("a disclosure (write “None” if there is nothing to disclose)",
                     self.disclosure.strip()),
                )
                if not value
            ]  # fmt: skip
            if missing:
                errors["is_published"] = "A published course needs " + " and ".join(missing) + "."
        if errors:
            raise ValidationError(errors)

    @property
    def expires_on(self):
        """The last day the course is current (courses/activity.py), or None."""
        return activity.expires_on(
            released_on=self.released_on, last_reviewed_on=self.last_reviewed_on
        )


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
