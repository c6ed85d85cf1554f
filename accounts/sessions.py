"""Session limits: how long a log-in lasts, in all and without activity, by kind of user.

Staff (``is_staff`` or ``is_superuser``: instructors and administrators, whose sessions can
change course material and see every team) are logged out after 2 hours without a request or
12 hours after logging in, whichever comes first. Everyone else after 7 days without a request
or 30 days after logging in. The numbers come from settings (``STAFF_SESSION_*`` and
``LEARNER_SESSION_*``, read from the environment in config/settings.py); Django itself only
has a fixed cookie age.

The session holds two times in seconds since the epoch: when the person logged in and when
they were last seen. "Last seen" is rewritten at most every SESSION_ACTIVITY_WRITE_SECONDS
(5 minutes, or a tenth of the idle limit if that is shorter), so an active visitor costs one
session save every few minutes rather than one per request; the idle limit is therefore
exact to within that interval.

The check runs when a view first reads ``request.user``, which this middleware makes a lazy
object as Django's AuthenticationMiddleware does, so responses that never look at the user
(the page cache, the matrix widget's shared regions) pay nothing. A session past a limit is
ended as a log-out would (the session flushed, ``user_logged_out`` sent) and the request goes
on anonymously: pages that need an account send the person to log in, with a message.

The session also holds the name the header shows (``accounts.names.display_name``), written
at log-in and whenever the person edits it on their account page, so that every page names
them without a query for their profile. A name changed by staff in the admin shows at the
person's next log-in.
"""

import time
from dataclasses import dataclass
from functools import partial

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user
from django.utils.functional import SimpleLazyObject

from . import names

STARTED = "_session_started_at"
SEEN = "_session_seen_at"
DISPLAY_NAME = "_display_name"
LOGGED_OUT_MESSAGE = "You were logged out after a while without activity. Please log in again."


def clock() -> float:
    """Seconds since the epoch. Tests replace this to move time on."""
    return time.time()


@dataclass(frozen=True)
class SessionLimit:
    """Seconds a session may go without a request (``idle``) and may last at most (``absolute``)."""

    idle: int
    absolute: int

    @property
    def write_interval(self) -> int:
        return max(1, min(settings.SESSION_ACTIVITY_WRITE_SECONDS, self.idle // 10))


def limit_for(user) -> SessionLimit:
    if user.is_staff or user.is_superuser:
        return SessionLimit(settings.STAFF_SESSION_IDLE_SECONDS, settings.STAFF_SESSION_MAX_SECONDS)
    return SessionLimit(settings.LEARNER_SESSION_IDLE_SECONDS, settings.LEARNER_SESSION_MAX_SECONDS)


def stamp_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: start the clocks, and let the cookie go no longer than allowed."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[STARTED] = session[SEEN] = int(clock())
    session.set_expiry(limit_for(user).absolute)


def remember_display_name(request, user) -> None:
    """Keep ``user``'s display name in the session for the header (one query for the profile,
    unless the caller's user object already holds it)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[DISPLAY_NAME] = names.display_name(user)


def stamp_display_name(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the header's name for this session."""
    remember_display_name(request, user)


def signed_in_name(request) -> str:
    """The signed-in person's name for the header, from the session (no query); their
    username for a session from before names were kept in it."""
    return request.session.get(DISPLAY_NAME) or request.user.get_username()


def is_expired(session, limit: SessionLimit, now: int) -> bool:
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return False  # a session from before these limits: its clocks start now
    return now - seen > limit.idle or now - started > limit.absolute


def checked_user(request):
    """The request's user, after ending the session if it is past its limits."""
    user = get_user(request)
    if not user.is_authenticated:
        return user
    session, limit, now = request.session, limit_for(user), int(clock())
    if is_expired(session, limit, now):
        request.user = user  # logout() reads it; the lazy object is being evaluated
        logout(request)
        request._cached_user = request.user
        messages.info(request, LOGGED_OUT_MESSAGE, fail_silently=True)
        return request.user
    session.setdefault(STARTED, now)
    if now - session.get(SEEN, 0) >= limit.write_interval:
        session[SEEN] = now
    return user


async def checked_auser(request):
    return await sync_to_async(checked_user)(request)


class SessionLimitMiddleware:
    """Wraps ``request.user`` (after AuthenticationMiddleware) so reading it applies the limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: checked_user(request))
        request.auser = partial(checked_auser, request)
        return self.get_response(request)
