"""Account forms: sign-up, and Django's password forms with this site's rules added.

- ``SignUpForm``: Django's user-creation form with a required email address.
- ``SiteLinkPasswordResetForm``: the reset mail's link starts with SITE_URL (accounts/links.py),
  whatever Host the request named.
"""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from . import links


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
    """Django's reset form, with the mail's link on the configured site, not the request's host."""

    def save(self, **kwargs):
        kwargs.update(domain_override=links.site_domain(), use_https=links.site_uses_https())
        super().save(**kwargs)
