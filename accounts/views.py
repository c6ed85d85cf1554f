"""Sign-up. Log in, log out and password management are Django's own views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .forms import SignUpForm


def safe_next_url(request, default: str) -> str:
    """The `next` parameter if it points at this site, otherwise ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
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
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect(next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
