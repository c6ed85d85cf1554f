"""A manager's nudge, the one-click unsubscribe link of every mail, and one's mail choices.

**Nudge** (POST ``/teams/<team>/members/<membership>/nudge/``): a manager of the team
(``accounts.selectors.manageable_teams``) sends one member a personal reminder, delivered by
the task queue. Anyone else, and any membership not of that team, gets a 404. Without
JavaScript the answer is a redirect (303) back to ``next`` (a path on this site) or the team's
dashboard, with a message. With htmx it is a small fragment that replaces the form: "Nudged
at 14:05" (200); "already nudged today" (429, with ``Retry-After`` in seconds until
midnight) when the member was nudged in this team today; "turned nudges off" (409), and then
nothing is sent. The dashboard's form, for each member::

    <form method="post" action="{% url 'notifications:nudge' team=team.slug membership=m.pk %}"
          hx-post="{% url 'notifications:nudge' team=team.slug membership=m.pk %}"
          hx-target="this" hx-swap="outerHTML" data-nudge>
      {% csrf_token %}<button type="submit">Nudge<span class="visually-hidden"> NAME</span></button>
    </form>

with ``static/js/nudge.js`` on the page, so the 409 and 429 fragments are swapped in too.

**Unsubscribe** (``/mail/unsubscribe/<token>/``, no log-in): GET asks for confirmation (so a
link scanner opening it changes nothing), POST turns that kind of mail off. The POST needs no
CSRF token: mail programs send RFC 8058's one-click POST without one, and the signed token is
the only authority it takes. A token this site did not sign is a 400.

**Preferences** (``/account/email/``, logged in): a checkbox per kind of mail.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Membership
from accounts.names import display_name
from accounts.selectors import manageable_teams
from accounts.views import safe_next_url
from config.compression import never_compressed

from . import services, tasks
from .forms import PreferencesForm
from .models import Kind, MailPreference
from .rules import seconds_until_tomorrow
from .selectors import wants
from .tokens import BadToken, read_token


def _nudge_answer(request, back: str, *, message: str, level: int, state: str, status: int = 200):
    """The fragment for htmx, else a redirect back with ``message``."""
    if request.htmx:
        context = {"message": message, "state": state}
        return render(request, "notifications/nudge_result.html", context, status=status)
    messages.add_message(request, level, message)
    return HttpResponseRedirect(back, status=303)


@require_POST
@login_required
def nudge(request, team, membership):
    team = get_object_or_404(manageable_teams(request.user), slug=team)
    membership = get_object_or_404(
        Membership.objects.select_related("user__profile", "user__mail_preference"),
        pk=membership, team=team, role=Membership.Role.MEMBER,
    )  # fmt: skip
    back = safe_next_url(request, team.get_absolute_url())
    now = timezone.now()
    try:
        mail = services.nudge(team=team, membership=membership, sender=request.user, now=now)
    except services.AlreadyNudged as refused:
        response = _nudge_answer(
            request, back, message=refused.message, level=messages.INFO, state="already",
            status=refused.status,
        )  # fmt: skip
        if request.htmx:
            response["Retry-After"] = str(seconds_until_tomorrow(now))
        return response
    except services.NudgeRefused as refused:
        return _nudge_answer(
            request, back, message=refused.message, level=messages.WARNING, state="refused",
            status=refused.status,
        )  # fmt: skip
    tasks.deliver_mail.enqueue(mail.pk)
    stamp = timezone.localtime(now).strftime("%H:%M")
    name = display_name(membership.user)
    if request.htmx:
        message = f"Nudged at {stamp}"
    else:
        message = f"{name} was nudged at {stamp}: a reminder is on its way."
    return _nudge_answer(request, back, message=message, level=messages.SUCCESS, state="sent")


def _masked(address: str) -> str:
    """"a•••@example.com": enough for the owner to recognise, little for anyone else."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "your address"


@never_cache
@csrf_exempt  # RFC 8058 one-click POSTs carry no token; the signed link is the authority.
@require_http_methods(["GET", "POST"])
@never_compressed  # reached through a signed token
def unsubscribe(request, token):
    try:
        wanted = read_token(token)
    except BadToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    person = get_user_model().objects.filter(pk=wanted.user_id).select_related("mail_preference").first()
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", {"gone": True}, status=400)
    context = {
        "kind": wanted.kind,
        "address": _masked(person.email),
        "off": not wants(person, wanted.kind),
    }
    if request.method == "POST":
        services.unsubscribe(user_id=person.pk, kind=wanted.kind)
        context.update(done=True, off=True)
    return render(request, "notifications/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@never_compressed  # shows the person's address
def preferences(request):
    current = MailPreference.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        instance=current or MailPreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, **form.cleaned_data)
        off = [kind.noun for kind in Kind if not form.cleaned_data[kind.value]]
        messages.success(
            request,
            "Saved. " + ("You get every kind of mail." if not off else "We will not send you " + get_text_list(off, "or") + "."),
        )
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "kinds": Kind})
