"""CSRF and safe methods: a POST without a token changes nothing, and a GET never changes state.

The state-changing endpoints are found from the URL map and the views' method decorators
(``urlmap.accepted_methods``): every route that accepts POST, plus the admin's model views,
which accept it without a decorator. Each is posted to by a role allowed to use it (the rows
of the authorization matrix say which), through ``Client(enforce_csrf_checks=True)``:
without a token the answer is the 403 page and no table changes; with one, the matrix's answer.

Every GET row of the authorization matrix is then requested as every role while a snapshot
of the database (snapshot.py) is compared before and after. Two changes are by design and
asserted exactly: viewing a published lesson while logged in records it as the place to resume
on that person's Enrollment for that course (DESIGN.md), and opening a quiz issues that
person's open Attempt at it (issue 4). A third is Django's own: a valid password-reset link
stores its token in the visitor's session. Nothing else may change, for anyone.
"""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.urls import resolve

from courses.models import Enrollment
from lessons.models import Lesson
from quizzes.models import Attempt, Quiz

from . import snapshot
from .roles import ANONYMOUS, ROLES, SUPERUSER
from .test_authorization import ADM, CASES, LOG, MOV, ROUTES, resolved_key, route_key
from .urlmap import accepted_methods, is_csrf_exempt

pytestmark = pytest.mark.django_db

CSRF_PAGE = "That form could not be sent"
REFUSALS = (403, 404, 405, LOG, ADM)


def accepts_post(route) -> bool:
    methods = accepted_methods(route.callback)
    return methods is None or "POST" in methods


POST_ROUTES = [route for route in ROUTES if accepts_post(route)]


def post_case(route):
    """The row to post and the role to post as: one the matrix says may use the endpoint."""
    key = route_key(route)
    posts = [case for case in CASES if case.route == key and case.method == "POST"]
    for case in posts:
        for role, expected in zip(ROLES, case.expected, strict=True):
            if expected not in REFUSALS:
                return case, role, expected
    # The admin's views have no POST row: post as the superuser. With a token the admin then
    # decides (a read-only model refuses the change with its own 403, a JSON view says 405).
    case = next(case for case in CASES if case.route == key)
    return case, SUPERUSER, None


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route_key(r) for r in POST_ROUTES])
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(world, route):
    case, role, allowed = post_case(route)
    url, data = case.url(world), case.form(world)
    with transaction.atomic():
        client = world.client(role, enforce_csrf_checks=True)
        before = snapshot.take()
        response = client.post(url, data)
        assert response.status_code == 403, f"POST {url} as {role} without a token"
        assert CSRF_PAGE in response.content.decode()
        assert snapshot.changes(before, snapshot.take()) == {}
        transaction.set_rollback(True)

    # The same request with a token goes through, so the 403 above was the missing token.
    with transaction.atomic():
        client = world.client(role, enforce_csrf_checks=True)
        token = _get_new_csrf_string()
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert CSRF_PAGE not in response.content.decode(), f"POST {url} as {role} with a token"
        if allowed == MOV:
            assert response.status_code in (302, 303), f"POST {url} as {role} with a token"
        elif allowed is not None:
            assert response.status_code == allowed, f"POST {url} as {role} with a token"
        transaction.set_rollback(True)


def test_the_post_routes_include_every_form_of_the_site():
    names = {route.name for route in POST_ROUTES}
    for name in [
        "lessons:complete", "quizzes:take", "quizzes:preview", "matrix:predict", "teams:join",
        "teams:renew_invite", "teams:remove_member", "accounts:signup", "login", "logout",
        "password_change", "password_reset", "password_reset_confirm",
        "admin:lessons_lesson_preview", "admin:matrix_decisionmatrix_cells",
        "admin:lessons_lesson_change", "admin:accounts_team_changelist",
    ]:  # fmt: skip
        assert name in names, name
    assert "courses:catalog" not in names and "progress:export" not in names


def test_no_view_is_exempt_from_csrf_checks():
    exempt = [route_key(route) for route in ROUTES if is_csrf_exempt(route.callback)]
    assert exempt == []


# --- GET never changes state -------------------------------------------------------------


def _url_object(url: str, queryset, **lookups):
    """The object a URL names: ``lookups`` map a field to the URL parameter holding it."""
    kwargs = resolve(url.split("?")[0]).kwargs
    return queryset.filter(**{field: kwargs[name] for field, name in lookups.items()}).first()


def allowed_change(url: str, user, change: snapshot.TableChange) -> str | None:
    """Why ``change`` is by design for GET ``url`` by ``user``, or None when it is not."""
    key = resolved_key(url)
    if key == "password_reset_confirm" and change.table == Session._meta.db_table:
        # Django's own view moves a valid reset token from the URL into the visitor's session
        # (so it never leaks in a Referer header): at most that one session is created.
        if change.after - change.before <= 1 and not change.removed and not change.changed:
            return "Django keeps the reset token in the visitor's session"
        return None
    if user is None:
        return None
    if key == "lessons:detail" and change.table == Enrollment._meta.db_table:
        lesson = _url_object(
            url, Lesson.objects.select_related("course"), course__slug="course", slug="lesson"
        )
        if lesson is None or not (lesson.is_published and lesson.course.is_published):
            return None  # a preview records nothing
        rows = Enrollment.objects.filter(pk__in=change.added | change.changed)
        if change.removed or {(r.user_id, r.course_id) for r in rows} != {(user.pk, lesson.course_id)}:
            return None
        enrollment = rows.get()
        assert enrollment.last_lesson_id == lesson.pk and enrollment.last_seen_at is not None
        return "the place to resume"
    if key == "quizzes:take" and change.table == Attempt._meta.db_table:
        quiz = _url_object(url, Quiz.objects, slug="quiz")
        if change.removed or change.changed or len(change.added) != 1:
            return None
        attempt = Attempt.objects.get(pk__in=change.added)
        if (attempt.user_id, attempt.quiz_id, attempt.submitted_at) != (user.pk, quiz.pk, None):
            return None
        return "the attempt issued with the quiz"
    return None


GET_ROUTES = [r for r in ROUTES if any(c.route == route_key(r) and c.method == "GET" for c in CASES)]


@pytest.mark.parametrize("route", GET_ROUTES, ids=[route_key(r) for r in GET_ROUTES])
def test_a_get_changes_no_table(world, route):
    key = route_key(route)
    problems = []
    for case in [c for c in CASES if c.route == key and c.method == "GET"]:
        for role in ROLES:
            with transaction.atomic():
                client = world.client(role)
                url = case.url(world)
                user = world.users[role]
                before = snapshot.take()
                client.get(url, headers=case.headers)
                for change in snapshot.changes(before, snapshot.take()).values():
                    if allowed_change(url, user, change) is None:
                        problems.append(f"GET {url} as {role} changed {change}")
                transaction.set_rollback(True)
    assert problems == [], "\n".join(problems)


def test_the_two_documented_changes_happen_only_for_the_visitor(world):
    """The exceptions above are real: the learner's lesson visit and quiz visit are recorded."""
    learner = world.users["learner"]
    with transaction.atomic():
        client = world.client("learner")
        before = snapshot.take()
        client.get(world.draft_course_lesson.get_absolute_url())  # staff-only: a 404 here
        client.get(world.other_course.lessons.filter(status="published").first().get_absolute_url())
        client.get(world.quiz.get_absolute_url())
        found = snapshot.changes(before, snapshot.take())
        assert set(found) == {Enrollment._meta.db_table, Attempt._meta.db_table}
        enrollment = Enrollment.objects.get(pk__in=found[Enrollment._meta.db_table].added)
        assert (enrollment.user, enrollment.course) == (learner, world.other_course)
        attempt = Attempt.objects.get(pk__in=found[Attempt._meta.db_table].added)
        assert (attempt.user, attempt.quiz, attempt.submitted_at) == (learner, world.quiz, None)
        transaction.set_rollback(True)

    with transaction.atomic():
        before = snapshot.take()
        world.client(ANONYMOUS).get(world.lesson.get_absolute_url())
        assert snapshot.changes(before, snapshot.take()) == {}
        transaction.set_rollback(True)
