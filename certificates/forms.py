"""The form an admin fills in to revoke or reinstate certificates: the reason is required."""

from django import forms


class ReasonForm(forms.Form):
    """Why the selected certificates are revoked (or reinstated), kept in their history."""

    MAX_LENGTH = 2000

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=MAX_LENGTH,
        strip=True,
        help_text="Required. Kept with each certificate's history with your name and the time; "
        "the public page says only that it was revoked, and when.",
    )
