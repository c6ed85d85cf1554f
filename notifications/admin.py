"""The mail in the admin, read-only: what was sent to whom and why, and people's choices.

Rows are written by the rules, the nudge and people themselves (their preferences page or an
unsubscribe link), never by hand; a mail that failed shows its last error.
"""

from django.contrib import admin

from .models import Mail, MailPreference, Sending


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SendingInline(admin.TabularInline):
    model = Sending
    fields = ["rule", "subject", "period", "sender", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mail)
class MailAdmin(ReadOnly):
    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "user__username", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    inlines = [SendingInline]
    exclude = ["html"]


@admin.register(MailPreference)
class MailPreferenceAdmin(ReadOnly):
    list_display = ["user", "reminders", "digest", "nudges", "updated_at"]
    list_filter = ["reminders", "digest", "nudges"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
