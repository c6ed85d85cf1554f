"""Authoring blocks in the admin: the block with its choices inline, checked on save.

The rules live in ``practice.validation`` (the content loader asks the same ones): a single
or true/false question has exactly one right choice, every choice of an inline check has
feedback, a predict block has an outcome. Learners' answers are shown read-only.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lessons.admin import ObjectiveTagFilter

from .models import Block, BlockAnswer, BlockChoice
from .validation import choice_problems


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        block = self.instance  # carries the block form's values, checked or not
        choices = [
            (form.cleaned_data.get("is_correct", False), form.cleaned_data.get("feedback", ""))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        problems = choice_problems(
            kind=block.kind, answer_kind=block.answer_kind, choices=choices,
            max_choices=Block.MAX_CHOICES,
        )  # fmt: skip
        if problems:
            raise forms.ValidationError(problems)


class BlockChoiceInline(admin.TabularInline):
    model = BlockChoice
    formset = ChoiceFormSet
    fields = ("order", "text", "is_correct", "feedback")
    ordering = ("order", "id")
    extra = 0
    formfield_overrides = {
        BlockChoice._meta.get_field("feedback").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 40})
        }
    }


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = ("course", "slug", "kind", "answer_kind", "title", "scenario", "prompt",
                  "explanation", "objectives")  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        course, objectives = cleaned.get("course"), cleaned.get("objectives")
        if course and objectives:
            others = [o.key for o in objectives if o.course_id != course.pk]
            if others:
                self.add_error("objectives", f"Choose objectives of this block's course, not {', '.join(others)}.")
        for name in ("prompt", "scenario", "explanation"):
            # Browsers send CRLF; store LF so content files round-trip.
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        return cleaned


@admin.register(Block)
class BlockAdmin(SimpleHistoryAdmin):
    form = BlockForm
    inlines = [BlockChoiceInline]
    list_display = ("title", "slug", "kind", "answer_kind", "course", "updated_at")
    list_filter = ("course", "kind", "answer_kind", ObjectiveTagFilter)
    list_select_related = ("course",)
    search_fields = ("slug", "title", "prompt")
    autocomplete_fields = ("objectives",)
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [
        (None, {
            "fields": ("course", "title", "slug", "kind", "answer_kind"),
            "description": "Embed it in a lesson with a line of its own: [[check:<slug>]] "
            "for an inline check, [[predict:<slug>]] for a predict block.",
        }),
        ("Content", {"fields": ("scenario", "prompt", "explanation")}),
        ("Objectives", {
            "fields": ("objectives",),
            "description": "The learning objectives of this course that the block tests; "
            "mastery counts learners' first answers to it. Untagged blocks can be saved (a "
            "draft), but mastery ignores them: filter the list by “Not tagged” to find them.",
        }),
    ]  # fmt: skip


@admin.register(BlockAnswer)
class BlockAnswerAdmin(admin.ModelAdmin):
    """Learners' answers: read-only, for looking into how a block is answered."""

    list_display = ("block", "user", "is_correct", "confidence", "is_first", "answered_at")
    list_filter = ("is_first", "is_correct", "confidence", "block__course")
    list_select_related = ("block", "user")
    search_fields = ("block__slug", "user__username")
    readonly_fields = ("user", "block", "choices", "text", "is_correct", "confidence",
                       "answered_at", "is_first", "token")  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
