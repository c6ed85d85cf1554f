"""Absolute links to this site, built from the SITE_URL setting, never from the request.

A request's Host header is the client's choice: any name in ALLOWED_HOSTS, with any port
(ALLOWED_HOSTS ignores ports). A link built from it and sent to someone else (a
password-reset mail, an invite link to share) could point wherever the sender of the request
wished. So every absolute link starts with ``settings.SITE_URL`` (``DJANGO_SITE_URL``, see
config/settings.py). With debug off, ``check --deploy`` warns if it is not https.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


def absolute_url(path: str) -> str:
    """``path`` (an absolute path such as ``/teams/join/abc/``) on the configured site."""
    return settings.SITE_URL + path


def site_domain() -> str:
    """The host and port of SITE_URL: the ``domain`` of Django's password-reset mail."""
    return urlsplit(settings.SITE_URL).netloc


def site_uses_https() -> bool:
    return urlsplit(settings.SITE_URL).scheme == "https"


@register(Tags.security, deploy=True)
def check_site_url_is_https(app_configs, **kwargs):
    if settings.DEBUG or site_uses_https():
        return []
    return [
        Warning(
            f"SITE_URL ({settings.SITE_URL}) is not https: password-reset and invite links "
            "would travel in the clear.",
            hint="Set DJANGO_SITE_URL to the https address of the site.",
            id="accounts.W001",
        )
    ]
