"""CSRF and safe methods: a POST without a token changes nothing, and a GET never changes state.

The state-changing endpoints are found from the URL map and the views' method decorators
(``urlmap.accepted_methods``): every route that accepts POST, plus the admin's model views,
which accept it without a decorator. Each is posted to by a role allowed to use it (the rows
of the authorization matrix say which), through ``Client(enforce_csrf_checks=True)``:
without a token the answer is the 403 page and no table changes; with one, the matrix's answer.

That a GET never changes state is checked where every GET URL is already requested as every
role: test_authorization.py compares a snapshot of the database (snapshot.py) before and after
each, allowing only the documented effects of get_effects.py. Two are by design: viewing a
published lesson while logged in records it as the place to resume on that person's Enrollment
for that course (DESIGN.md), and opening a quiz issues that person's open Attempt at it (issue
4); a third is Django's own (a valid password-reset link keeps its token in the session). The
tests below prove the effects are real, and that the checker catches any other change.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string

from courses.models import Enrollment
from lessons.services import complete_lesson
from quizzes.models import Attempt
from tests.factories import visit

from . import snapshot
from .get_effects import by_design
from .roles import ANONYMOUS, LEARNER, MEMBER_A, ROLES, SUPERUSER
from .test_authorization import ADM, CASES, LOG, MOV, ROUTES, route_key
from .urlmap import accepted_methods, is_csrf_exempt

pytestmark = pytest.mark.django_db

CSRF_PAGE = "That form could not be sent"
REFUSALS = (403, 404, 405, LOG, ADM)


def accepts_post(route) -> bool:
    methods = accepted_methods(route.callback)
    return methods is None or "POST" in methods


# Views that take a POST without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    "notifications:unsubscribe": "RFC 8058's one-click unsubscribe: mail programs POST without "
    "a token; the signed link in the URL is the only authority, and it only turns mail off",
}
POST_ROUTES = [
    route for route in ROUTES if accepts_post(route) and not is_csrf_exempt(route.callback)
]


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
        "teams:renew_invite", "teams:remove_member", "teams:courses", "accounts:signup",
        "accounts:account", "login", "logout",
        "password_change", "password_reset", "password_reset_confirm",
        "admin:lessons_lesson_preview", "admin:matrix_decisionmatrix_cells",
        "admin:lessons_lesson_change", "admin:accounts_team_changelist", "notifications:nudge",
        "notifications:preferences",
    ]:  # fmt: skip
        assert name in names, name
    assert "courses:catalog" not in names and "progress:export" not in names


def test_no_view_is_exempt_from_csrf_checks_but_the_documented_ones():
    exempt = [route_key(route) for route in ROUTES if is_csrf_exempt(route.callback)]
    assert exempt == list(CSRF_EXEMPT)


# --- GET never changes state: the documented effects, and the checker ----------------------


def test_the_documented_get_effects_happen_only_for_the_visitor(world):
    """The effects that get_effects.py allows are real, and belong to the visitor alone."""
    learner = world.users[LEARNER]
    lesson = world.other_course.lessons.filter(status="published").first()
    with transaction.atomic():
        client = world.client(LEARNER)
        before = snapshot.take()
        client.get(world.draft_course_lesson.get_absolute_url())  # staff only: a 404 here
        client.get(lesson.get_absolute_url())
        client.get(world.quiz.get_absolute_url())
        found = snapshot.changes(before, snapshot.take())
        assert set(found) == {Enrollment._meta.db_table, Attempt._meta.db_table}
        enrollment = Enrollment.objects.get(pk__in=found[Enrollment._meta.db_table].added)
        assert (enrollment.user, enrollment.course, enrollment.last_lesson) == (
            learner, world.other_course, lesson
        )
        attempt = Attempt.objects.get(pk__in=found[Attempt._meta.db_table].added)
        assert (attempt.user, attempt.quiz, attempt.submitted_at) == (learner, world.quiz, None)
        transaction.set_rollback(True)

    with transaction.atomic():
        before = snapshot.take()
        world.client(ANONYMOUS).get(world.lesson.get_absolute_url())
        assert snapshot.changes(before, snapshot.take()) == {}
        transaction.set_rollback(True)


def test_the_checker_refuses_any_other_change(world):
    """Guards the guard: changes like the documented ones, but not them, are refused."""
    learner, other = world.users[LEARNER], world.users[MEMBER_A]
    lesson_url = world.lesson.get_absolute_url()
    quiz_url = world.quiz.get_absolute_url()

    def change(write):
        before = snapshot.take()
        write()
        return list(snapshot.changes(before, snapshot.take()).values())

    with transaction.atomic():
        (mine,) = change(lambda: visit(user=learner, lesson=world.lesson))
        assert by_design(lesson_url, learner, mine)
        (theirs,) = change(lambda: visit(user=other, lesson=world.lesson))
        assert by_design(lesson_url, learner, theirs) is None  # someone else's enrollment
        assert by_design(lesson_url, None, mine) is None  # an anonymous visit records nothing
        assert by_design(world.draft_lesson.get_absolute_url(), learner, mine) is None  # preview
        assert by_design(quiz_url, learner, mine) is None  # not what a quiz page does
        for table_change in change(lambda: complete_lesson(user=learner, lesson=world.draft_lesson)):
            assert by_design(lesson_url, learner, table_change) is None
        (attempt,) = change(lambda: Attempt.objects.create(user=other, quiz=world.quiz))
        assert by_design(quiz_url, learner, attempt) is None  # someone else's attempt
        assert by_design(quiz_url, other, attempt)
        transaction.set_rollback(True)
