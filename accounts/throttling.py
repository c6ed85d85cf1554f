"""Rate limits on account actions, counted in Django's cache (local memory or Redis).

Each rule counts events per person or per address in fixed windows of an hour:

- Password-reset mail: at most 3 per email address and 10 per client address. Beyond that
  the visitor sees the same "check your email" page and status, and no mail is sent.
- Failed log-ins, besides django-axes's 10 per (username, address) in 15 minutes (settings):
  50 per client address across all usernames (spraying), and 20 per username across all
  addresses (one account guessed from many). At the ceiling every log-in from that address,
  or to that username, is refused with the 429 page, right password or not, until the hour
  is over. These follow axes's switch (AXES_ENABLED), like the rest of log-in throttling.
- Wrong current passwords on password change: 5 per account; then the form refuses, even
  the right password, until the hour is over.

Counters are ``cache.add`` then ``cache.incr``, both atomic in local memory and in Redis, so
concurrent requests on any number of app hosts sharing a Redis count exactly. Keys hold an
HMAC of who is counted (no email address or username stored in the clear) and the window's
number, and expire with it. A fixed window may let through up to twice a limit around its
boundary; that bounds the rate just as well, and a cache flush only restarts the counts.
Client addresses come from ``config.security.client_ip`` (DJANGO_PROXY_COUNT).
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from config.security import client_ip

logger = logging.getLogger(__name__)
HOUR = 3600


def clock() -> float:
    """Seconds since the epoch. Tests replace this to move time on."""
    return time.time()


@dataclass(frozen=True)
class Rule:
    """At most ``limit`` events per ``seconds`` (a fixed window) for one person or address."""

    name: str
    limit: int
    seconds: int

    def key(self, who: str) -> str:
        digest = salted_hmac("accounts.throttling", f"{self.name}:{who}", algorithm="sha256")
        return f"throttle:{self.name}:{digest.hexdigest()[:32]}:{int(clock() // self.seconds)}"

    def count(self, who: str) -> int:
        return cache.get(self.key(who), 0)

    def reached(self, who: str) -> bool:
        return self.count(who) >= self.limit

    def hit(self, who: str) -> int:
        """Count one event for ``who`` and return the count in this window, this one included."""
        key = self.key(who)
        cache.add(key, 0, timeout=self.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # evicted between add and incr: start again from this event
            cache.add(key, 1, timeout=self.seconds)
            return 1


PASSWORD_RESET_PER_EMAIL = Rule("reset-email", limit=3, seconds=HOUR)
PASSWORD_RESET_PER_CLIENT = Rule("reset-client", limit=10, seconds=HOUR)
LOGIN_FAILURES_PER_CLIENT = Rule("login-client", limit=50, seconds=HOUR)
LOGIN_FAILURES_PER_USERNAME = Rule("login-username", limit=20, seconds=HOUR)
WRONG_CURRENT_PASSWORD_PER_ACCOUNT = Rule("password-change", limit=5, seconds=HOUR)


def _username(value) -> str:
    # Case-folded, so "Ann" and "ann" share a count whatever the user model makes of case.
    return str(value).casefold()


# --- password reset ---------------------------------------------------------------------------


def allow_password_reset(*, email: str, request) -> bool:
    """Count a reset request; False if it is over a limit, and then no mail may be sent.

    A client over its own limit is refused without counting the address, so one noisy
    client cannot use up someone's allowance beyond its own ten.
    """
    client = client_ip(request)
    if PASSWORD_RESET_PER_CLIENT.hit(client) > PASSWORD_RESET_PER_CLIENT.limit:
        logger.warning("Password reset refused: too many requests from %s", client)
        return False
    if PASSWORD_RESET_PER_EMAIL.hit(email.strip().casefold()) > PASSWORD_RESET_PER_EMAIL.limit:
        logger.warning("Password reset refused: too many requests for one address (from %s)", client)
        return False
    return True


# --- log-in ceilings --------------------------------------------------------------------------


def login_ceiling(*, username, client: str) -> Rule | None:
    """The ceiling that refuses a log-in for ``username`` from ``client`` now, if any."""
    if LOGIN_FAILURES_PER_CLIENT.reached(client):
        return LOGIN_FAILURES_PER_CLIENT
    if username and LOGIN_FAILURES_PER_USERNAME.reached(_username(username)):
        return LOGIN_FAILURES_PER_USERNAME
    return None


def record_login_failure(sender, credentials, request=None, **kwargs):
    """``user_login_failed`` receiver: count the failure for the address and the username.

    The failure that reaches a ceiling is already answered with the 429 page, as axes does.
    """
    if request is None or not settings.AXES_ENABLED:
        return
    client = client_ip(request)
    counted = [(LOGIN_FAILURES_PER_CLIENT, client)]
    if username := credentials.get("username"):
        counted.append((LOGIN_FAILURES_PER_USERNAME, _username(username)))
    reached = [rule for rule, who in counted if rule.hit(who) >= rule.limit]
    if reached and not hasattr(request, "login_ceiling"):
        rule = reached[0]
        logger.warning("Log-in ceiling %s reached (from %s)", rule.name, client)
        request.login_ceiling = rule


class LoginCeilingBackend:
    """An authentication backend that logs nobody in: it refuses every log-in at a ceiling.

    Listed before ModelBackend, so the password is not even checked. ``authenticate()`` then
    reports the failure (counted above), and ``login_ceiling_middleware`` answers 429.
    """

    def authenticate(self, request, username=None, **credentials):
        if request is None or not settings.AXES_ENABLED:
            return None
        rule = login_ceiling(username=username, client=client_ip(request))
        if rule is None:
            return None
        request.login_ceiling = rule
        raise PermissionDenied(f"Log-in ceiling {rule.name} reached")


def login_ceiling_middleware(get_response):
    """Answer a log-in refused by a ceiling with the lock-out page and 429 Too Many Requests."""

    def middleware(request):
        response = get_response(request)
        rule = getattr(request, "login_ceiling", None)
        if rule is None:
            return response
        context = {
            "ceiling": rule,
            "per_address": rule is LOGIN_FAILURES_PER_CLIENT,
            "hours": rule.seconds // HOUR,
        }
        return render(request, "registration/locked_out.html", context, status=429)

    return middleware


# --- password change --------------------------------------------------------------------------


def wrong_current_passwords_reached(user) -> bool:
    return WRONG_CURRENT_PASSWORD_PER_ACCOUNT.reached(str(user.pk))


def record_wrong_current_password(user) -> None:
    if WRONG_CURRENT_PASSWORD_PER_ACCOUNT.hit(str(user.pk)) == WRONG_CURRENT_PASSWORD_PER_ACCOUNT.limit:
        logger.warning("Password change paused for user %s: too many wrong current passwords", user.pk)
