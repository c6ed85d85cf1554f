"""Authoring quizzes: a quiz with its questions inline, a question with its choices inline.

The formsets check the rules in ``quizzes.validation`` and explain each problem where the
instructor is working: choice rules on the question's page, and the rules for publishing on
the quiz's page. "View on site" opens the preview as a learner sees it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from lessons.admin import ObjectiveTagFilter
from lessons.models import Lesson

from .models import Attempt, Choice, Question, Quiz
from .validation import choice_problems, draw_problems, publish_problems


def _kept_forms(formset):
    """The forms that will be saved: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and form.cleaned_data.get("DELETE"))
    ]


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = _kept_forms(self)
        problems = draw_problems(self.instance.draw_count, len(kept))
        if problems:
            raise ValidationError(
                [*problems, "Leave “Draw count” empty to give every question."],
                code="bad_draw",
            )
        if not self.instance.is_published:
            return
        existing = [form.instance.pk for form in kept if form.instance.pk]
        flags = {}
        for question_id, is_correct in Choice.objects.filter(question_id__in=existing).values_list(
            "question_id", "is_correct"
        ):
            flags.setdefault(question_id, []).append(is_correct)
        problems = publish_problems(
            [(form.cleaned_data["kind"], flags.get(form.instance.pk, [])) for form in kept]
        )
        if problems:
            raise ValidationError(
                [
                    *problems,
                    "Untick “Is published” to save the quiz as a draft, add each "
                    "question's choices on its own page (“Edit choices”), then publish.",
                ],
                code="cannot_publish",
            )


class QuestionInline(admin.StackedInline):
    model = Question
    formset = QuestionInlineFormSet
    fields = ["order", "kind", "prompt", "explanation", "choice_summary"]
    readonly_fields = ["choice_summary"]
    extra = 0
    show_change_link = True
    max_num = Quiz.MAX_QUESTIONS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                choice_count=Count("choices"),
                right_count=Count("choices", filter=Q(choices__is_correct=True)),
            )
        )

    @admin.display(description="Choices")
    def choice_summary(self, obj):
        if obj.pk is None:
            return "Save first, then add choices with “Change” (Edit choices)."
        count = getattr(obj, "choice_count", 0)
        right = getattr(obj, "right_count", 0)
        return f"{count} choice{'s' if count != 1 else ''}, {right} right"


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "title", "course", "lesson", "is_published", "mode", "question_count", "pass_percent",
        "max_attempts", "preview_link",
    ]  # fmt: skip
    list_filter = ["course", "is_published"]
    list_select_related = ["course", "lesson"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["course", "lesson", "title", "slug", "order", "description"]}),
        (
            "Taking the quiz",
            {
                "fields": [
                    "mode", "pass_percent", "max_attempts", "retry_wait_minutes", "shuffle",
                    "draw_count", "is_published",
                ],  # fmt: skip
                "description": (
                    "Write the questions below and save the quiz as a draft; then open each "
                    "question (“Change”) to add its choices, each with feedback saying why it "
                    "is right or wrong. A quiz can be published once every question has "
                    "well-formed choices. Exam mode shows every question on one page and the "
                    "feedback after submitting; practice mode asks one question at a time and "
                    "shows the feedback on every choice after each. “Draw count” makes each "
                    "attempt a different paper of that many questions. “View on site” "
                    "previews it as a learner sees it in exam mode."
                ),
            },
        ),
    ]
    inlines = [QuestionInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_questions=Count("questions"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lesson":
            kwargs["queryset"] = Lesson.objects.select_related("course").order_by(
                "course__order", "order"
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "lesson":
            field.label_from_instance = lambda lesson: f"{lesson.course.title} › {lesson.title}"
        return field

    def view_on_site(self, obj):
        return reverse("quizzes:preview", kwargs={"quiz": obj.slug})

    @admin.display(description="Questions", ordering="num_questions")
    def question_count(self, obj):
        return obj.num_questions

    @admin.display(description="Preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview as learner</a>', self.view_on_site(obj))

    @admin.action(description="Publish the selected quizzes", permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for quiz in queryset.prefetch_related("questions__choices"):
            problems = publish_problems(
                [
                    (question.kind, [choice.is_correct for choice in question.choices.all()])
                    for question in quiz.questions.all()
                ]
            )
            if problems:
                self.message_user(
                    request, f"“{quiz}” was not published: {' '.join(problems)}", messages.ERROR
                )
                continue
            if not quiz.is_published:
                quiz.is_published = True
                quiz.save(update_fields=["is_published", "updated_at"])
                published += 1
        if published:
            self.message_user(request, f"Published {published} quiz(zes).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected quizzes", permissions=["change"])
    def unpublish(self, request, queryset):
        # update() skips auto_now: set updated_at too, so cached pages stop listing the quiz.
        count = queryset.filter(is_published=True).update(
            is_published=False, updated_at=timezone.now()
        )
        self.message_user(request, f"Unpublished {count} quiz(zes).", messages.SUCCESS)


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = _kept_forms(self)
        problems = choice_problems(
            self.instance.kind, [form.cleaned_data.get("is_correct", False) for form in kept]
        )
        if problems:
            raise ValidationError(problems, code="bad_choices")


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ["order", "text", "is_correct", "feedback"]
    extra = 2
    max_num = Question.MAX_CHOICES

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["feedback"].widget = forms.Textarea(attrs={"rows": 2, "cols": 50})
        formset.form.base_fields["is_correct"].label = "Right?"
        return formset


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["quiz", "order", "kind", "prompt", "explanation", "objectives"]

    def clean(self):
        cleaned = super().clean()
        quiz, objectives = cleaned.get("quiz"), cleaned.get("objectives")
        if quiz and objectives:
            others = [o.key for o in objectives if o.course_id != quiz.course_id]
            if others:
                self.add_error("objectives", f"Choose objectives of the quiz's course, not {', '.join(others)}.")
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["short_prompt", "quiz", "kind", "order"]
    list_filter = ["quiz__course", "kind", ObjectiveTagFilter]
    autocomplete_fields = ["objectives"]
    list_select_related = ["quiz"]
    search_fields = ["prompt", "quiz__title"]
    fieldsets = [
        (
            None,
            {
                "fields": ["quiz", "order", "kind", "prompt", "explanation", "objectives"],
                "description": (
                    "One answer: exactly one right choice. True or false: exactly two "
                    "choices, one right. Several answers: at least two choices and at least "
                    "one right; learners must pick exactly the right set. In exam mode "
                    "learners see the feedback of the choices they picked and the explanation "
                    "only after submitting; in practice mode, the feedback of every choice "
                    "right after answering the question. Objectives: the learning objectives of "
                    "the quiz's course this question tests (mastery counts first attempts); "
                    "an untagged question can be saved, and the list's “Not tagged” filter "
                    "finds it."
                ),
            },
        )
    ]
    inlines = [ChoiceInline]

    def view_on_site(self, obj):
        return reverse("quizzes:preview", kwargs={"quiz": obj.quiz.slug})

    @admin.display(description="Prompt")
    def short_prompt(self, obj):
        return str(obj)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are the learners' record: instructors may read them, never edit them."""

    list_display = [
        "user",
        "quiz",
        "started_at",
        "submitted_at",
        "score",
        "total",
        "percent",
        "passed",
    ]
    list_filter = ["quiz__course", "quiz", "passed"]
    list_select_related = ["user", "quiz"]
    search_fields = ["user__username", "quiz__title"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
