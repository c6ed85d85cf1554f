"""The mail preferences form: one checkbox per kind of mail."""

from django import forms

from .models import MailPreference


class PreferencesForm(forms.ModelForm):
    """Which kinds of mail to receive; an unticked box turns that kind off."""

    class Meta:
        model = MailPreference
        fields = ["reminders", "digest", "nudges"]
