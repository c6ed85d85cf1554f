"""Sign-up, one's account page, joining a team by invite link, and the managers' pages of a
team: its members, and its courses with their due dates.

Log in, log out and password management are Django's own views (accounts/auth_urls.py), with
our forms; password change answers 429 once too many current passwords were wrong, and so does
the account page when the email address is changed after as many wrong guesses.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.compression import never_compressed

from . import names, sessions
from .forms import AccountForm, SignUpForm, ThrottledPasswordChangeForm, due_date_forms
from .links import absolute_url
from .models import Membership, Team
from .selectors import is_last_manager, manageable_teams, team_assignments_for_editing
from .services import (
    LastManagerError,
    PastDueDateError,
    create_account,
    join_team,
    remove_member,
    renew_invite_code,
    set_due_dates,
    update_account,
)


def safe_next_url(request, default: str) -> str:
    """The `next` parameter if it is a path on this site, otherwise ``default``.

    Only absolute paths: ``redirect()`` would take anything else without a slash or a dot
    (``next=abc``) for a view name, and fail to reverse it.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = safe_next_url(request, settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_account(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
            )
        except IntegrityError:
            # Someone took the username between the form's check and the insert.
            form.add_error("username", "A user with that username already exists.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {names.display_name(user)}. Your account is ready.")
            return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
@never_compressed  # shows the person's address
def account(request):
    """One's own display name and email address; links to the password and mail settings."""
    form = AccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            changed = update_account(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
            )
            sessions.remember_display_name(request, request.user)
            messages.success(request, _account_saved_message(changed))
            return redirect("accounts:account")
        status = 429 if form.is_throttled else 400
        return render(request, "accounts/account.html", {"form": form}, status=status)
    return render(request, "accounts/account.html", {"form": form})


def _account_saved_message(changed: list[str]) -> str:
    if not changed:
        return "Nothing changed: your name and email address are as they were."
    what = {"display_name": "your name", "email": "your email address"}
    return f"Saved {' and '.join(what[name] for name in changed)}."


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


@require_http_methods(["GET", "POST"])
@never_compressed  # reached through the invite code
def join(request, invite_code):
    """GET shows what joining means; POST joins. Anonymous visitors sign up or log in first."""
    # PostgreSQL refuses a string with a NUL byte in it (an error, not "no match"), and no
    # invite code has one, so such a link is unknown without asking the database.
    team = None if "\x00" in invite_code else Team.objects.filter(invite_code=invite_code).first()
    if team is None:
        return render(request, "accounts/join_invalid.html", status=404)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "accounts/join.html", {"team": team})
    if request.method == "POST":
        membership, created = join_team(team=team, user=request.user)
        if created:
            messages.success(
                request,
                f"You joined {team.name} as {names.display_name(request.user)}: its managers "
                "see you by this name (change it on your account page). Your team's courses "
                "are below.",
            )
        else:
            messages.info(request, f"You are already in {team.name}; nothing has changed.")
        return redirect("progress:mine")
    membership = Membership.objects.filter(team=team, user=request.user).first()
    return render(request, "accounts/join.html", {"team": team, "membership": membership})


@require_GET
@login_required
@never_compressed  # shows the invite link
def members(request, team):
    team = get_object_or_404(manageable_teams(request.user), slug=team)
    memberships = (
        # "manager" sorts before "member": managers first.
        team.memberships.select_related("user__profile").order_by("role", "user__username")
    )
    managers = sum(1 for m in memberships if m.role == Membership.Role.MANAGER)
    return render(
        request,
        "accounts/members.html",
        {
            "team": team,
            "memberships": memberships,
            "manager_count": managers,
            "invite_url": absolute_url(team.get_invite_path()),
        },
    )


@require_POST
@login_required
def renew_invite(request, team):
    team = get_object_or_404(manageable_teams(request.user), slug=team)
    renew_invite_code(team=team)
    messages.success(request, "A new invite link is ready. The old link no longer works.")
    return redirect(safe_next_url(request, reverse("teams:members", kwargs={"team": team.slug})))


@require_http_methods(["GET", "POST"])
@login_required
def remove(request, team, membership):
    """GET asks for confirmation; POST removes the member (never the last manager)."""
    team = get_object_or_404(manageable_teams(request.user), slug=team)
    membership = get_object_or_404(
        Membership.objects.select_related("user__profile"), pk=membership, team=team
    )
    members_url = reverse("teams:members", kwargs={"team": team.slug})
    context = {"team": team, "membership": membership, "members_url": members_url}
    if request.method == "GET":
        context["last_manager"] = is_last_manager(membership)
        return render(request, "accounts/remove_member.html", context)
    try:
        remove_member(membership=membership)
    except LastManagerError as error:
        context.update(last_manager=True, error=str(error))
        return render(request, "accounts/remove_member.html", context, status=409)
    name = names.display_name(membership.user)
    messages.success(request, f"{name} is no longer in {team.name}. Their own progress is kept.")
    if membership.user_id == request.user.pk:
        return redirect("progress:mine")
    return redirect(members_url)


@require_http_methods(["GET", "POST"])
@login_required
def courses(request, team):
    """A team's assigned courses with a due date each, for those who may manage the team.

    One form for all the courses: a POST is saved whole or not at all (400 with the message
    beside the field). A course whose field the POST lacks (assigned since the page was
    opened) keeps its due date.
    """
    team = get_object_or_404(manageable_teams(request.user), slug=team)
    posted = request.POST if request.method == "POST" else None
    forms = due_date_forms(team_assignments_for_editing(team), data=posted)
    context = {"team": team, "forms": forms}
    if request.method == "GET":
        return render(request, "accounts/team_courses.html", context)
    sent = [form for form in forms if form.is_bound]
    invalid = [form for form in sent if not form.is_valid()]  # each form checked: all errors show
    if invalid:
        return render(request, "accounts/team_courses.html", context, status=400)
    try:
        changed = set_due_dates(
            team=team,
            due_dates={form.instance.course_id: form.cleaned_data["due_on"] for form in sent},
        )
    except PastDueDateError as error:
        # The day turned between the form's check and the write (the form refuses the rest).
        context["error"] = str(error)
        return render(request, "accounts/team_courses.html", context, status=400)
    messages.success(request, _due_dates_saved_message(team, changed))
    return redirect("teams:courses", team=team.slug)


def _due_dates_saved_message(team: Team, changed) -> str:
    if not changed:
        return f"No due date changed for {team.name}."
    parts = [
        f"{a.course.title}: " + (f"due {date_format(a.due_on, 'j M Y')}" if a.due_on else "no due date")
        for a in changed
    ]
    return f"Saved the due dates of {team.name}. " + "; ".join(parts) + "."
