"""Accounts admin: teams with their memberships inline, and memberships on their own.

Staff create a team, assign its courses, add people and name managers here. The invite link
is shown read-only, and the "Renew invite links" action retires the old ones, both only to
those who may change teams: instructors view teams and see neither (a shared link is as good
as a membership, and renewing it breaks every team's link at once).
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Q
from django.utils.html import format_html

from .forms import AssignmentForm, ThrottledAdminPasswordChangeForm
from .models import Assignment, Membership, Profile, Team
from .services import renew_invite_code

# The admin's "change my password" page asks for the current password: limit wrong guesses.
admin.site.password_change_form = ThrottledAdminPasswordChangeForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    form = AssignmentForm
    extra = 1
    autocomplete_fields = ["course"]
    fields = ["course", "due_on", "assigned_at"]
    readonly_fields = ["assigned_at"]
    verbose_name = "assigned course"
    verbose_name_plural = "assigned courses (the dashboard and the CSV cover these)"


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["display_name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "member_count", "manager_count", "course_list", "dashboard"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["invite_link", "created_at"]
    fields = ["name", "slug", "invite_link", "created_at"]
    inlines = [AssignmentInline, MembershipInline]
    actions = ["renew_invites"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "invite_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                members=Count("memberships", filter=Q(memberships__role=Membership.Role.MEMBER)),
                managers=Count("memberships", filter=Q(memberships__role=Membership.Role.MANAGER)),
            )
            .prefetch_related("courses")
        )

    @admin.display(description="members", ordering="members")
    def member_count(self, team):
        return team.members

    @admin.display(description="managers", ordering="managers")
    def manager_count(self, team):
        return team.managers

    @admin.display(description="courses")
    def course_list(self, team):
        return ", ".join(course.title for course in team.courses.all()) or "none yet"

    @admin.display(description="dashboard")
    def dashboard(self, team):
        return format_html('<a href="{}">Open</a>', team.get_absolute_url())

    @admin.display(description="invite link")
    def invite_link(self, team):
        if not team.pk:
            return "Made when the team is saved."
        return format_html("<code>{}</code>", team.get_invite_path())

    @admin.action(
        description="Renew invite links (the old links stop working)", permissions=["change"]
    )
    def renew_invites(self, request, queryset):
        for team in queryset:
            renew_invite_code(team=team)
        self.message_user(
            request, f"Renewed the invite link of {len(queryset)} team(s).", messages.SUCCESS
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "joined_at"]
    list_filter = ["role", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]
    readonly_fields = ["joined_at"]


# Django's user admin, with the display name people chose (or staff set) on the same page.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PersonAdmin(UserAdmin):
    inlines = [ProfileInline]
    search_fields = (*UserAdmin.search_fields, "profile__display_name")
