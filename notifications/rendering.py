"""Mail as it is written and as it travels: a ``Mail`` row from templates, a message from a row.

Every mail has a plain-text body and an HTML one (``templates/notifications/mail/<name>.txt``
and ``.html``), greets the person by their display name, and ends with a one-click
unsubscribe link for its kind and a link to the preferences page. The same link travels in
the ``List-Unsubscribe`` header with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
(RFC 8058), so mail programs can offer their own "unsubscribe" button. Links start with
``SITE_URL`` (``accounts.links``), never with a request's host.
"""

from __future__ import annotations

import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.links import absolute_url, site_domain
from accounts.names import display_name

from .models import Kind, Mail
from .tokens import make_token

SUBJECT_LENGTH = Mail._meta.get_field("subject").max_length
# Each kind's footer: why the person gets it.
WHY = {
    Kind.REMINDERS: "you have courses or reviews waiting on the course site",
    Kind.DIGEST: "you manage a team on the course site",
    Kind.NUDGES: "a manager of your team sent it",
}


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = make_token(user_id=user_id, kind=kind)
    return absolute_url(reverse("notifications:unsubscribe", kwargs={"token": token}))


def one_line(text: str, *, limit: int = SUBJECT_LENGTH) -> str:
    """``text`` on one line (a header cannot hold a line break), cut to ``limit``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def compose(
    *, user, kind: str, subject: str, template: str, context: dict, now: datetime.datetime
) -> Mail:
    """An unsaved, pending ``Mail`` to ``user``, written from the ``template`` pair."""
    link = unsubscribe_url(user_id=user.pk, kind=kind)
    context = {
        **context,
        "subject": subject,
        "name": display_name(user),
        "why": WHY[Kind(kind)],
        "kind_noun": Kind(kind).noun,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": link,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    return Mail(
        user=user,
        kind=kind,
        to=user.email,
        subject=one_line(subject),
        text=render_to_string(f"notifications/mail/{template}.txt", context),
        html=render_to_string(f"notifications/mail/{template}.html", context),
        unsubscribe_url=link,
        message_id=make_msgid(domain=site_domain().split(":")[0]),
        status=Mail.Status.PENDING,
        next_attempt_at=now,
        created_at=now,
    )


def message(mail: Mail, *, name: str = "") -> EmailMultiAlternatives:
    """The message that carries ``mail``: both bodies, the unsubscribe headers, its Message-ID."""
    headers = {
        "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 3834: written by a program, so out-of-office replies are not sent back.
        "Auto-Submitted": "auto-generated",
        "Message-ID": mail.message_id,
    }
    to = formataddr((one_line(name, limit=100), mail.to)) if name else mail.to
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    email.attach_alternative(mail.html, "text/html")
    return email
