"""Per-learner page cache: a signed-in learner's page, kept until something it shows changes.

The catalog, a course's overview, a lesson, a quiz, ``/progress/`` and ``/review/`` are
personal for a signed-in learner (progress, done marks, answers, attempts, mastery, due
cards), so the shared page cache (``config.page_cache``) cannot serve them whole. Rendering
one costs 10-30 ms; reading whether anything on it could have changed costs one query. So a
personal page is kept in the ``personal`` cache under a key made of:

- the user's id, and the release (``page_cache.release``);
- **the learner's state**: one query selecting the content version's columns
  (``page_cache.content_columns``) and, for each kind of row a personal page may show
  (``PERSONAL_STATE``: completions, enrolments, attempts and their answers, block answers,
  predictions, review cards and settings, certificates, the profile's name, memberships, their teams'
  assignments, groups and permissions), aggregates over that user's rows that move when a row
  is added, removed or changed (counts, latest times, an ``updated_at``). Any write, by the
  learner or by anyone else (a manager's due date, an admin edit, a background job), gives the
  next request a new key; nothing has to remember to invalidate;
- today's date (pages say "due in 3 days"), the view, path, canonical query parameters and
  htmx headers, as for shared pages; and the session (the header's name is kept in it).

What depends on the clock alone (a review card falling due, a quiz's "try again in 5 minutes")
is at most ``PERSONAL_PAGE_SECONDS`` behind (60 s in production; 0 turns the cache off, the
default with debug on). A view keeps a page that only time would change out of the cache with
``page_cache.keep_private``. As for shared pages, the CSRF token and CSP nonce are placeholders
filled in per response (``page_cache.serve``), requests with messages waiting and anything but
GET or HEAD are rendered as usual, and only 200 responses are kept. A view that may write
what it shows (the quiz page issues the attempt on its form) says so (``writes=True``); its
page is kept only if the state after rendering is the one it was keyed by.

What a view does besides rendering (recording the resume point) must not live inside the
decorated function: a kept page does not run it.
"""

import functools

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from core.kept_queries import PLACEHOLDER, bound

from .page_cache import (
    VERSION_ATTRIBUTE,
    content_columns,
    digest,
    has_messages,
    htmx_state,
    page_variant,
    release,
    serve,
    version_of,
)

# Each kind of row a personal page may show: the model, the path from it to the user, and
# aggregates over the user's rows that change whenever one of those rows is added, removed or
# edited in a way a page shows.
PERSONAL_STATE = (
    ("accounts.Profile", "user", {"name": Max("display_name")}),
    ("accounts.Membership", "user", {
        "count": Count("pk"), "teams": Sum("team_id"), "joined": Max("joined_at"),
        "managing": Count("pk", filter=Q(role="manager")),
    }),
    ("accounts.Assignment", "team__memberships__user", {
        "count": Count("pk"), "changed": Max("updated_at"),
    }),
    ("auth.Group", "user", {"count": Count("pk"), "ids": Sum("pk")}),
    ("auth.Permission", "user", {"count": Count("pk"), "ids": Sum("pk")}),
    ("courses.Enrollment", "user", {"count": Count("pk"), "seen": Max("last_seen_at")}),
    ("lessons.LessonCompletion", "user", {"count": Count("pk"), "last": Max("completed_at")}),
    ("quizzes.Attempt", "user", {
        "count": Count("pk"), "started": Max("started_at"), "submitted": Max("submitted_at"),
    }),
    # Practice attempts save each answer before the attempt is graded.
    ("quizzes.Response", "attempt__user", {"count": Count("pk")}),
    ("practice.BlockAnswer", "user", {"count": Count("pk"), "last": Max("answered_at")}),
    ("matrix.MatrixPrediction", "user", {"count": Count("pk"), "last": Max("created_at")}),
    # An answer moves a card's last review; a snooze moves the due cards, the earliest ones.
    ("review.Card", "user", {
        "count": Count("pk"), "due": Min("due"), "reviewed": Max("last_review"),
    }),
    ("review.ReviewSettings", "user", {"on": Count("pk", filter=Q(reviews_on=True))}),
    # Issued, revoked or reinstated: each moves the latest updated_at.
    ("certificates.Certificate", "user", {"count": Count("pk"), "changed": Max("updated_at")}),
)  # fmt: skip

# Pages with parameters or a region one user may keep per view and path (the plain page aside).
MAX_VARIANTS = 32


def personal_page(*, params=None, key=None, writes=False):
    """Decorate a view whose page for a signed-in user depends only on that user's rows in
    ``PERSONAL_STATE``, the content, today's date, its path, the query parameters
    ``params(request)`` returns (a ``QueryDict``, canonical; by default none) and what
    ``key(request)`` returns (a string; by default nothing). A view that may write what it
    shows (``writes=True``: a quiz issuing the attempt on its form) has its page kept only if
    the state after rendering is still the one it was keyed by: one query more."""

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _may_keep(request):
                return view(request, *args, **kwargs)
            row = _state_row(request.user.pk)
            if row is None:
                return view(request, *args, **kwargs)
            state = repr(row)
            query, region = page_variant(request, params, key)
            prefix = f"personal:{release()}:{request.user.pk}"
            page_key = f"{prefix}:" + digest(
                state, timezone.localdate().isoformat(), name, request.path, query, region,
                htmx_state(request),
                # Per session: the header's name is kept in it (accounts/sessions.py), and a
                # learner signed in twice may have renamed themselves in one of them.
                request.session.session_key or "",
            )  # fmt: skip
            counter = f"{prefix}:variants:" + digest(state, name, request.path)

            def render():
                # The content version leads the row: the page's parts need not read it again
                # (worked out only when the page is rendered, not for a kept one).
                setattr(request, VERSION_ATTRIBUTE, version_of(row[: len(content_columns())]))
                return view(request, *args, **kwargs)

            return serve(
                request, page_key, render,
                seconds=settings.PERSONAL_PAGE_SECONDS, store=_store(),
                variants=counter if query or region else None, max_variants=MAX_VARIANTS,
                # A view that wrote what it shows made a page for a state that has passed:
                # the next request renders it again.
                still_valid=(lambda: personal_state(request.user.pk) == state) if writes else None,
            )  # fmt: skip

        return wrapped

    return decorator


def personal_state(user_id: int) -> str | None:
    """The content version and ``user_id``'s rows in ``PERSONAL_STATE``, as one string: one
    query. None when there is no such user."""
    row = _state_row(user_id)
    return None if row is None else repr(row)


def _state_row(user_id: int) -> tuple | None:
    sql, params = _state_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, bound(params, user_id))
        return cursor.fetchone()


@functools.cache
def _state_query() -> tuple[str, tuple]:
    # Built and compiled once; the user's id stands in as ``PLACEHOLDER`` (core/kept_queries.py).
    User = get_user_model()
    columns = {"username": "username", "staff": "is_staff", "superuser": "is_superuser"}
    annotations = {}
    for number, (label, path, aggregates) in enumerate(PERSONAL_STATE):
        model = apps.get_model(label)
        for name, aggregate in aggregates.items():
            # Grouped by the user, so the subquery is one row of one value (or none).
            rows = model._base_manager.filter(**{path: OuterRef("pk")}).order_by().values(path)
            annotations[f"s{number}_{name}"] = Subquery(
                rows.annotate(value=aggregate).values("value")[:1]
            )
    users = User._base_manager.filter(pk=PLACEHOLDER).values(*columns.values(), **annotations)
    state_sql, params = users.query.sql_with_params()
    # The content version's columns lead, from the same query.
    sql = f"SELECT {', '.join(content_columns())}, state.* FROM ({state_sql}) state"  # noqa: S608
    return sql, tuple(params)


def _store():
    """The ``personal`` cache (apart, so that learners' pages never push shared pages and team
    figures out), or the default one where a deployment's CACHES names no such cache."""
    return caches["personal"] if "personal" in settings.CACHES else caches["default"]


def _may_keep(request) -> bool:
    return (
        settings.PERSONAL_PAGE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and not has_messages(request)
    )
