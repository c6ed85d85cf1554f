"""Authoring lessons in the admin: live preview, embed checks, history with diff and revert.

The lesson inline on the course page comes from here too, registered through
``courses.admin.register_course_inline`` (courses does not import lessons).
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from core.embeds import describe, validate_embeds
from core.rendering import expand_placeholders, render_markdown
from courses.admin import register_course_inline

from . import revisions
from .models import Lesson, Objective

REVIEW_AGE = timedelta(days=365)


def normalise_newlines(text: str) -> str:
    """Browsers send textarea lines ending in CRLF; store LF so content files round-trip."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


class MarkdownPreviewTextarea(forms.Textarea):
    """A Markdown textarea with a live preview panel beside it (static/js/admin-lesson-preview.js)."""

    template_name = "lessons/widgets/markdown_preview.html"

    class Media:
        js = ["js/admin-lesson-preview.js"]
        css = {"all": ["css/lessons.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview_url"] = reverse("admin:lessons_lesson_preview")
        return context


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ("course", "title", "slug", "order", "status", "estimated_minutes", "body",
                  "sources", "reviewed_on", "owner")  # fmt: skip
        widgets = {
            "body": MarkdownPreviewTextarea(
                attrs={"rows": 28, "maxlength": Lesson.MAX_BODY_LENGTH, "spellcheck": "true"}
            ),
            "sources": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_body(self):
        body = normalise_newlines(self.cleaned_data["body"])
        if len(body) > Lesson.MAX_BODY_LENGTH:
            raise ValidationError(
                f"The body has {len(body):,} characters; the limit is {Lesson.MAX_BODY_LENGTH:,}. "
                "Split the lesson in two."
            )
        validate_embeds(body)
        return body

    def clean_sources(self):
        return normalise_newlines(self.cleaned_data["sources"])


class NotReviewedFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("stale", "Not reviewed in 12 months")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            cutoff = timezone.localdate() - REVIEW_AGE
            return queryset.filter(Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=cutoff))
        return queryset


@register_course_inline
class LessonInline(admin.TabularInline):
    """The course's lessons in order; change the order here, write them on the lesson page."""

    model = Lesson
    fields = ("order", "title", "status", "estimated_minutes", "reviewed_on")
    readonly_fields = ("reviewed_on",)
    ordering = ("order", "id")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a lesson needs a body: add it from the lesson page, with its preview


class ObjectiveFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        keys = [
            form.cleaned_data["key"]
            for form in self.forms
            if form.cleaned_data.get("key") and not form.cleaned_data.get("DELETE", False)
        ]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise forms.ValidationError(f"Each key once: {', '.join(twice)} is listed twice.")


class ObjectiveInline(admin.TabularInline):
    """The lesson's learning objectives, shown on its page as "You will learn to"."""

    model = Objective
    formset = ObjectiveFormSet
    fields = ("order", "key", "text")
    ordering = ("order", "id")
    extra = 0
    verbose_name = "learning objective"


class ObjectiveTagFilter(admin.SimpleListFilter):
    """For blocks and quiz questions: those tagged with no objective, which mastery ignores."""

    title = "objectives"
    parameter_name = "tagged"

    def lookups(self, request, model_admin):
        return [("no", "Not tagged (mastery ignores it)"), ("yes", "Tagged")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(objectives__isnull=self.value() == "no").distinct()
        return queryset


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    """Objectives are written on their lesson's page; this list finds them by key or text.
    Which ones nothing tests: Progress › Objective coverage."""

    list_display = ("key", "text", "lesson", "course", "order")
    list_filter = ("course",)
    list_select_related = ("lesson", "course")
    search_fields = ("key", "text", "lesson__title")
    ordering = ("course__order", "lesson__order", "order", "id")
    fields = ("lesson", "key", "text", "order")


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    form = LessonForm
    list_display = ("title", "course", "order", "status", "reviewed_on", "updated_at")
    list_filter = ("course", "status", NotReviewedFilter)
    list_select_related = ("course",)
    search_fields = ("title", "slug", "body")
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("course__order", "order", "id")
    raw_id_fields = ("owner",)
    fieldsets = [
        (None, {"fields": ("course", "title", "slug", "order", "status", "estimated_minutes")}),
        ("Content", {"fields": ("body", "sources")}),
        ("Review", {"fields": ("reviewed_on", "owner")}),
    ]
    inlines = [ObjectiveInline]
    object_history_template = "admin/lessons/lesson/object_history.html"
    object_history_list_template = "admin/lessons/lesson/object_history_list.html"
    object_history_form_template = "admin/lessons/lesson/object_history_form.html"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("owner", request.user.pk)
        return initial

    def get_urls(self):
        site = self.admin_site
        return [
            # Not wrapped in admin_view: non-staff get a plain 403, not a log-in page.
            path("preview/", self.preview_view, name="lessons_lesson_preview"),
            path(
                "<path:object_id>/history/compare/",
                site.admin_view(self.compare_view),
                name="lessons_lesson_compare",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def may_author(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.has_perm("lessons.add_lesson") or user.has_perm("lessons.change_lesson"))
        )

    def preview_view(self, request):
        return preview(request)

    def compare_view(self, request, object_id):
        """A readable diff between two revisions of one lesson."""
        lesson = self.get_object(request, unquote(object_id))
        if lesson is None:
            raise Http404("No such lesson.")
        if not self.has_view_or_change_permission(request, lesson):
            raise PermissionDenied
        records = list(
            lesson.history.select_related("history_user", "course", "owner").order_by(
                "history_date", "history_id"
            )
        )
        by_id = {str(record.history_id): record for record in records}
        if len(records) < 2:
            old = new = records[-1] if records else None
        else:
            old = by_id.get(request.GET.get("from", ""), records[-2])
            new = by_id.get(request.GET.get("to", ""), records[-1])
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions: {lesson}",
            "opts": self.model._meta,
            "original": lesson,
            "records": records,
            "old": old,
            "new": new,
            "hunks": revisions.body_diff(old.body, new.body) if old else [],
            "changes": revisions.field_changes(old, new) if old else [],
            "history_url": reverse("admin:lessons_lesson_history", args=[lesson.pk]),
        }
        return TemplateResponse(request, "admin/lessons/lesson/compare.html", context)


def _embed_box(kind: str, slug: str, index: int) -> str:
    # The label says which thing the line names ("Inline check “…”"), from the kind's app.
    return format_html(
        '<p class="admin-embed-box">{}: <code>{}</code> appears here on the lesson page.</p>',
        describe(kind, slug),
        slug,
    )


@never_cache
@require_POST
def preview(request):
    """Render posted Markdown as the lesson page will, with embeds shown as labelled boxes."""
    if not LessonAdmin.may_author(request):
        raise PermissionDenied
    text = normalise_newlines(request.POST.get("body", ""))
    if len(text) > Lesson.MAX_BODY_LENGTH:
        return HttpResponse(
            format_html(
                '<p class="errornote">The body has {} characters; the limit is {}.</p>',
                f"{len(text):,}",
                f"{Lesson.MAX_BODY_LENGTH:,}",
            ),
            status=400,
        )
    try:
        validate_embeds(text)
        problems = []
    except ValidationError as error:
        problems = error.messages
    html = expand_placeholders(render_markdown(text), _embed_box)
    return render(
        request, "admin/lessons/lesson/preview.html", {"html": html, "problems": problems}
    )
