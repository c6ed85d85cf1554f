"""Account forms: sign-up, and Django's password forms with this site's rules added.

- ``SignUpForm``: Django's user-creation form with a required email address and an optional
  display name (``Profile.display_name``).
- ``AccountForm``: a signed-in person's display name and email address; changing the address
  asks for the current password (a borrowed session alone cannot redirect password resets),
  with the same limit on wrong guesses as the password change.
- ``SiteLinkPasswordResetForm``: the reset mail's link starts with SITE_URL (accounts/links.py),
  whatever Host the request named, and no mail is sent past the reset limits
  (accounts/throttling.py); the visitor cannot tell.
- ``AssignmentForm``: a course assigned to a team and its due date, which may not be set in
  the past (one kept unchanged may be), in the admin; ``DueDateForm``, its due date alone, on
  the managers' courses page.
- ``ThrottledPasswordChangeForm`` (and the admin's ``ThrottledAdminPasswordChangeForm``):
  after too many wrong current passwords the form refuses, even the right one, for a while.
"""

from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from . import links, throttling
from .models import Assignment, Profile

DISPLAY_NAME_LABEL = "Your name, as your team sees it"


def display_name_field(**kwargs) -> forms.CharField:
    """The display name as sign-up and the account page ask for it (optional, stripped)."""
    field = forms.CharField(
        label=DISPLAY_NAME_LABEL,
        max_length=Profile.DISPLAY_NAME_MAX_LENGTH,
        required=False,
        **kwargs,
    )
    field.widget.attrs.update(autocomplete="name")
    return field


class SignUpForm(auth_forms.UserCreationForm):
    """The fields of a new account; ``accounts.services.create_account`` saves them."""

    display_name = display_name_field(
        help_text="Optional. Your team's managers and your certificates show it (managers "
        "see your username when empty). You can change it later."
    )

    class Meta(auth_forms.UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    field_order = ("username", "display_name", "email", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Used only to reset your password."
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["email"].widget.attrs.update(autocomplete="email")


class AccountForm(forms.Form):
    """A person's display name and email address, as they edit them on their account page.

    ``email_changed`` says whether the address differs from the stored one (compared after
    Django's normalisation, so "Ann@Example.COM" for "Ann@example.com" is no change). Only a
    change asks for the current password.
    """

    NOT_YOURS = "not_yours"
    THROTTLED = "throttled"
    # Wrong guesses count against the same per-account limit as the password change form.
    throttled_message = (
        "Too many wrong current passwords. For your security, changing the email address or "
        "password of this account is paused for an hour."
    )

    display_name = display_name_field()
    email = forms.EmailField(label="Email", max_length=254)
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        profile = getattr(user, "profile", None)
        initial = {"display_name": profile.display_name if profile else "", "email": user.email}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["display_name"].help_text = (
            "Your team's managers and your certificates show it. "
            f"Leave it empty to be shown by your username, “{user.get_username()}”."
        )
        self.fields["email"].help_text = "Where password-reset links and reminders are sent."
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean_email(self):
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])

    @property
    def email_changed(self) -> bool:
        return "email" in self.cleaned_data and self.cleaned_data["email"] != self.user.email

    def clean(self):
        cleaned = super().clean()
        if not self.email_changed:
            return cleaned
        if throttling.wrong_current_passwords_reached(self.user):
            self.add_error(
                "current_password",
                ValidationError(self.throttled_message, code=self.THROTTLED),
            )
        elif not (given := cleaned.get("current_password", "")):
            self.add_error(
                "current_password",
                ValidationError(
                    "To change your email address, enter your current password.",
                    code="required",
                ),
            )
        elif not self.user.check_password(given):
            throttling.record_wrong_current_password(self.user)
            self.add_error(
                "current_password",
                ValidationError(
                    "To change your email address, enter your current password: this one "
                    "is not right.",
                    code=self.NOT_YOURS,
                ),
            )
        return cleaned

    @property
    def is_throttled(self) -> bool:
        return self.has_error("current_password", self.THROTTLED)


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


class DueDateForm(AssignmentForm):
    """One assigned course's due date, as a manager sets it (the course is not theirs to change).

    Prefixed by the course's id, so one page holds a form per course; its label names the course.
    """

    class Meta(AssignmentForm.Meta):
        fields = ("due_on",)

    def __init__(self, *args, instance: Assignment, **kwargs):
        super().__init__(*args, instance=instance, prefix=f"course-{instance.course_id}", **kwargs)
        field = self.fields["due_on"]
        field.label = f"Due date for {instance.course.title}"
        assigned = date_format(timezone.localtime(instance.assigned_at), "j M Y")
        field.help_text = f"Assigned {assigned}. Leave it empty for no due date."


def due_date_forms(assignments, *, data=None) -> list[DueDateForm]:
    """A ``DueDateForm`` per assignment, bound to ``data`` only where it holds that course's
    field: a course assigned after the page was sent is left as it is, not cleared."""
    forms_ = []
    for assignment in assignments:
        form = DueDateForm(instance=assignment)
        if data is not None and form.add_prefix("due_on") in data:
            form = DueDateForm(data, instance=assignment)
        forms_.append(form)
    return forms_
