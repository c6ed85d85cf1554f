"""Account forms: sign-up, and Django's password forms with this site's rules added.

- ``SignUpForm``: Django's user-creation form with a required email address.
- ``SiteLinkPasswordResetForm``: the reset mail's link starts with SITE_URL (accounts/links.py),
  whatever Host the request named, and no mail is sent past the reset limits
  (accounts/throttling.py); the visitor cannot tell.
- ``AssignmentForm``: a course assigned to a team and its due date, which may not be set in
  the past (one kept unchanged may be), in the admin and on the managers' courses page.
- ``ThrottledPasswordChangeForm`` (and the admin's ``ThrottledAdminPasswordChangeForm``):
  after too many wrong current passwords the form refuses, even the right one, for a while.
"""

from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import links, throttling
from .models import Assignment


class SignUpForm(auth_forms.UserCreationForm):
    class Meta(auth_forms.UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Used only to reset your password."
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["email"].widget.attrs.update(autocomplete="email")


class SiteLinkPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form: the link on the configured site, and the mail only within limits."""

    def save(self, *, request=None, **kwargs):
        # The view redirects to the same "check your email" page whether or not this sends.
        if not throttling.allow_password_reset(email=self.cleaned_data["email"], request=request):
            return
        kwargs.update(domain_override=links.site_domain(), use_https=links.site_uses_https())
        super().save(request=request, **kwargs)


class WrongCurrentPasswordLimit:
    """Counts wrong current passwords; at the limit, refuses before checking the password."""

    THROTTLED = "throttled"
    throttled_message = (
        "Too many wrong current passwords. For your security, changing the password of this "
        "account is paused for an hour. If you have forgotten it, log out and reset it by email."
    )

    def clean_old_password(self):
        if throttling.wrong_current_passwords_reached(self.user):
            raise ValidationError(self.throttled_message, code=self.THROTTLED)
        try:
            return super().clean_old_password()
        except ValidationError:
            throttling.record_wrong_current_password(self.user)
            raise

    @property
    def is_throttled(self) -> bool:
        return self.has_error("old_password", self.THROTTLED)


class ThrottledPasswordChangeForm(WrongCurrentPasswordLimit, auth_forms.PasswordChangeForm):
    pass


class ThrottledAdminPasswordChangeForm(WrongCurrentPasswordLimit, AdminPasswordChangeForm):
    """The admin's own "change my password" form (not the one for other users' passwords)."""


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("course", "due_on")
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        # A due date already past may stay (the dashboards show who is late); a new one may not.
        if due_on and "due_on" in self.changed_data and due_on < timezone.localdate():
            raise ValidationError(
                "A due date cannot be in the past: choose today or a later day.", code="past"
            )
        return due_on
