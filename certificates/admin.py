"""Certificates in the admin: read-only records, with audited revocation and reinstatement.

Nobody edits or deletes a certificate: it is a record of what happened. Staff with the
change permission (superusers; the Instructors group is not given it) may revoke selected
certificates, or reinstate ones revoked in error, through an admin action that asks for a
reason on an intermediate page; ``services.revoke`` and ``services.reinstate`` record who,
when and why as a ``CertificateEvent``, listed on the certificate's page.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from . import services
from .forms import ReasonForm
from .models import Certificate, CertificateEvent


class EventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ("action", "by_name", "at", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class Status(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("valid", "Valid"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


def _with_reason(modeladmin, request, queryset, *, verb: str, apply):
    """Ask for a reason on an intermediate page, then ``apply`` it to each certificate."""
    form = ReasonForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        for certificate in queryset:
            apply(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        modeladmin.message_user(
            request, f"{verb.capitalize()}d {len(queryset)} certificate(s).", messages.SUCCESS
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{verb.capitalize()} certificates",
        "opts": modeladmin.model._meta,
        "certificates": queryset,
        "form": form,
        "verb": verb,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/certificates/reason.html", context)


@admin.action(description="Revoke the selected certificates (asks why)", permissions=["change"])
def revoke(modeladmin, request, queryset):
    return _with_reason(
        modeladmin, request, queryset.filter(revoked_at__isnull=True), verb="revoke",
        apply=services.revoke,
    )  # fmt: skip


@admin.action(description="Reinstate the selected certificates (asks why)", permissions=["change"])
def reinstate(modeladmin, request, queryset):
    return _with_reason(
        modeladmin, request, queryset.filter(revoked_at__isnull=False), verb="reinstate",
        apply=services.reinstate,
    )  # fmt: skip


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("course_title", "display_name", "issued_at", "is_valid", "code")
    list_filter = ("course", Status)
    search_fields = ("=code", "display_name", "course_title")
    list_select_related = ("course",)
    date_hierarchy = "issued_at"
    actions = [revoke, reinstate]
    inlines = [EventInline]
    fields = (
        "code", "display_name", "course_title", "course_slug", "course", "user",
        "completed_at", "issued_at", "record", "status_index",
        "revoked_at", "revoked_by", "revocation_reason",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(boolean=True, description="valid")
    def is_valid(self, certificate):
        return not certificate.is_revoked

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
