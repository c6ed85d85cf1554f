"""Quizzes: questions with feedback on every choice, learners' attempts and their responses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.confidence import Confidence
from core.rendering import render_markdown


class Quiz(models.Model):
    """A Quiz belongs to a course and may follow one of its lessons."""

    MAX_QUESTIONS = 100
    MAX_RETRY_WAIT_MINUTES = 60 * 24 * 30

    class Mode(models.TextChoices):
        EXAM = "exam", "Exam: every question on one page, feedback after submitting"
        PRACTICE = "practice", "Practice: one question at a time, feedback after each"

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="quizzes")
    lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="quizzes"
    )
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown, shown above the questions.")
    description_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    pass_percent = models.PositiveSmallIntegerField(
        default=70,
        validators=[MaxValueValidator(100)],
        help_text="The percentage of right answers needed to pass (0 to 100).",
    )
    max_attempts = models.PositiveSmallIntegerField(default=0, help_text="0 means unlimited.")
    retry_wait_minutes = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_RETRY_WAIT_MINUTES)],
        help_text="Minutes a learner waits after submitting before the next attempt; 0 means none.",
    )
    mode = models.CharField(max_length=8, choices=Mode, default=Mode.EXAM)
    shuffle = models.BooleanField(
        default=True,
        help_text=(
            "Show the questions and their choices in a random order, fixed per attempt "
            "(true-or-false choices stay True, then False)."
        ),
    )
    draw_count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUESTIONS)],
        help_text=(
            "Draw this many of the questions at random for each attempt, so a retry is a "
            "different paper; empty means every question."
        ),
    )
    is_published = models.BooleanField(
        default=False, help_text="Learners see only published quizzes; publish needs questions."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course", "order", "id"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_percent__lte=100), name="quiz_pass_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(draw_count__isnull=True) | models.Q(draw_count__gte=1),
                name="quiz_draw_count_at_least_1",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("quizzes:take", kwargs={"quiz": self.slug})

    def clean(self):
        if self.lesson_id and self.course_id and self.lesson.course_id != self.course_id:
            raise ValidationError({"lesson": "Choose a lesson of this quiz's course."})


class Question(models.Model):
    """A Question asks one thing; its kind says how its choices are answered."""

    MAX_CHOICES = 10

    class Kind(models.TextChoices):
        SINGLE = "single", "One right answer"
        MULTIPLE = "multiple", "Several right answers"
        TRUE_FALSE = "true_false", "True or false"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.SINGLE)
    prompt = models.TextField(help_text="Markdown.")
    prompt_html = models.TextField(blank=True, editable=False)
    explanation = models.TextField(help_text="Markdown, shown after the attempt is submitted.")
    explanation_html = models.TextField(blank=True, editable=False)
    objectives = models.ManyToManyField(
        "lessons.Objective",
        blank=True,
        related_name="questions",
        help_text="The objectives of the quiz's course that this question tests.",
    )

    class Meta:
        ordering = ["quiz", "order", "id"]

    def __str__(self):
        return self.prompt[:80]

    def save(self, *args, **kwargs):
        self.prompt_html = render_markdown(self.prompt)
        self.explanation_html = render_markdown(self.explanation)
        super().save(*args, **kwargs)


class Choice(models.Model):
    """A Choice is one answer to a question, with feedback saying why it is right or wrong."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """An Attempt is issued when a learner opens a quiz and graded once when submitted.

    Its paper (which questions, in which order, and the quiz's mode) is fixed when it is issued.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=8, choices=Quiz.Mode, default=Quiz.Mode.EXAM)
    question_order = models.JSONField(default=list, blank=True)
    # True when question_order holds the questions drawn from the quiz's pool: only those
    # belong to the attempt. Otherwise questions added after the attempt was issued come last.
    is_drawn = models.BooleanField(default=False)
    # {"<question id>": [choice ids]} when the quiz shuffles; empty means the authored order.
    choice_order = models.JSONField(default=dict, blank=True)
    score = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "quiz", "submitted_at"])]
        constraints = [
            # Reloading the quiz page reuses the open attempt instead of issuing another.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=models.F("total"), percent__lte=100),
                name="attempt_score_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.quiz} ({self.percent}%)"

    def get_absolute_url(self):
        return reverse("quizzes:attempt", kwargs={"quiz": self.quiz.slug, "attempt": self.pk})

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def is_practice(self):
        return self.mode == Quiz.Mode.PRACTICE


class Response(models.Model):
    """A Response is a learner's answer to one question within one attempt.

    In practice mode it is saved as each question is answered, before the attempt is graded.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    chosen = models.ManyToManyField(Choice, related_name="responses")
    is_correct = models.BooleanField(default=False)
    confidence = models.CharField(
        max_length=8, choices=Confidence, blank=True, default="", help_text="Empty: not given."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_response"),
        ]

    def __str__(self):
        return f"{self.attempt}: {self.question}"
