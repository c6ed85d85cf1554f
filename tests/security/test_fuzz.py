"""Hypothesis throws generated input at every form and query parameter: never a 500, nothing half-saved.

Each test generates form data or query strings (unicode text, NUL bytes, huge strings, empty
values, numbers where words belong and words where numbers belong, repeated keys, nested
``a[b]`` keys, ids of other people's objects, negative and enormous numbers) and sends them to
one endpoint: sign-up, log-in, quiz submission, matrix predictions, the advisor, joining a
team, the admin's lesson preview, the matrix's ``?base=``/``?view=`` (on its page and inside a
lesson) and the team dashboard's course filter. The test client raises on any server error, so
a 500 fails the test; each answer must be a clear 4xx, the form again with its errors, or the
documented success. When the answer is a refusal, a database snapshot (snapshot.py) proves
that no row was added, changed or removed.

Every example runs inside its own savepoint, rolled back afterwards, so the module's world
(world.py) is the same for each example: that is why the function-scoped-fixture health check
is suppressed, and why it is safe to. Run on PostgreSQL too (DATABASE_URL), where a NUL byte
in a query is an error rather than no match.
"""

import contextlib
import os
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lessons.models import Lesson
from matrix.models import MatrixPrediction
from quizzes.models import Attempt, Choice, Response

from . import snapshot
from .roles import INSTRUCTOR, LEARNER, MANAGER_A

pytestmark = pytest.mark.django_db

FUZZ = settings(
    # A longer hunt: FUZZ_EXAMPLES=500 pytest tests/security/test_fuzz.py
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    # The fixtures are the module's world and the test's transaction; each example runs in a
    # savepoint of its own that is rolled back (see ``example``), so no state leaks between them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "", " ", "\x00", "a\x00b", "0", "-1", "-0", "1.5", "1e309", "NaN", "Infinity",
    "99999999999999999999999", "-9223372036854775809", "None", "null", "true", "[]", "{}",
    "<script>alert(1)</script>", "'; DROP TABLE quizzes_attempt; --", "%00", "%", "\u202e",
    "\U0001f600", "\ufeff", "e\u0301", "../../etc/passwd", "//evil.example/", "https://evil.example/",
    "javascript:alert(1)", "\r\nSet-Cookie: x=1", "strong", "weak", "compare", "predict",
]  # fmt: skip
text = st.text(max_size=40)
# Long, not oversized: bodies over the request limit are test_request_limits.py's business.
huge = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["x", "\u00e9", "\u4e2d", "\U0001f600"]),
    st.sampled_from([1_000, 30_000, 60_001]),
)
numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
small_ids = st.integers(min_value=-3, max_value=400).map(str)
scalar = st.one_of(st.sampled_from(NASTY), text, numbers, small_ids, huge)
value = st.one_of(scalar, st.lists(scalar, min_size=1, max_size=3))
key = st.one_of(
    st.sampled_from(["a[b]", "a[]", "q[0][id]", "row-", "row-x[y]", "attempt[]", "__proto__"]),
    st.text(min_size=1, max_size=12),
)
extra = st.dictionaries(key, value, max_size=4)
small_scalar = st.one_of(st.sampled_from(NASTY), text, numbers, small_ids)
small_value = st.one_of(small_scalar, st.lists(small_scalar, min_size=1, max_size=3))

# 422: a refusal sent to htmx, swapped in place of the form (core.refusals).
REFUSALS = {400, 403, 404, 405, 409, 422}


@contextlib.contextmanager
def example():
    """One example's requests, rolled back afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def is_local(location: str) -> bool:
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/")


def form_errors(response) -> bool:
    form = (response.context or {}).get("form")
    return bool(form is not None and form.errors)


def assert_says_why(response):
    """A refusal explains itself: an alert with the reason, or the oversized-request page."""
    page = response.content.decode()
    assert 'role="alert"' in page or "That request could not be understood" in page, page[:300]


def assert_unchanged(before, why: str):
    found = snapshot.changes(before, snapshot.take())
    assert found == {}, f"{why}, yet: {[str(change) for change in found.values()]}"


def query(params: dict) -> str:
    return urlencode(params, doseq=True)


# --- accounts ----------------------------------------------------------------------------


SIGN_UP_FIELDS = ("username", "display_name", "email", "password1", "password2", "next")
GOOD_PASSWORD = "Clinical-reasoning-2026!"
# Hashing is deliberately slow; these tests hash on every sign-up and log-in, so use a fast one.
FAST_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHING
@FUZZ
@given(data=st.data(), more=extra)
def test_sign_up_with_any_input(world, data, more):
    if data.draw(st.booleans()):  # a form a person could send, with any next= and extras
        name = data.draw(st.from_regex(r"[a-z][a-z0-9_]{2,20}", fullmatch=True))
        fields = {"username": name, "email": f"{name}@example.com", "password1": GOOD_PASSWORD,
                  "password2": GOOD_PASSWORD, "next": data.draw(small_value),
                  "display_name": data.draw(small_value)}  # fmt: skip
    else:
        fields = data.draw(st.fixed_dictionaries(dict.fromkeys(SIGN_UP_FIELDS, value)))
    with example():
        before = snapshot.take()
        response = Client().post("/accounts/signup/", {**more, **fields})
        event(f"sign-up: {response.status_code}")
        if response.status_code == 302:
            # One account with its profile, logged in; and the way on is a page of this site.
            assert is_local(response["Location"]), response["Location"]
            found = snapshot.changes(before, snapshot.take())
            assert set(found) == {"auth_user", "accounts_profile", "django_session"}
            assert found["auth_user"].after == before.counts["auth_user"] + 1
            assert found["accounts_profile"].after == before.counts["accounts_profile"] + 1
        elif response.status_code == 200:
            assert form_errors(response)
            assert_unchanged(before, "the sign-up form came back with errors")
        else:
            assert response.status_code == 400
            assert_unchanged(before, "the sign-up was refused")


@FAST_HASHING
@FUZZ
@given(fields=st.fixed_dictionaries({"username": value, "password": value, "next": value}), more=extra)
def test_log_in_with_any_input(world, fields, more):
    with example():
        before = snapshot.take()
        response = Client().post("/accounts/login/", {**more, **fields})
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert form_errors(response)
        assert_unchanged(before, "the log-in was refused")


@FUZZ
@given(code=st.one_of(st.sampled_from(NASTY), text), method=st.sampled_from(["get", "post"]))
def test_joining_with_any_invite_code(world, code, method):
    with example():
        client = world.client(LEARNER)
        before = snapshot.take()
        response = getattr(client, method)(f"/teams/join/{quote(code, safe='')}/")
        if "\x00" in code:
            assert response.status_code == 400  # refused before any view
            return
        assert response.status_code == 404
        if code and "/" not in code:  # else no join URL matches: Django's own 404
            assert "current invite link" in response.content.decode()
        assert_unchanged(before, "the invite link is unknown")


@FUZZ
@given(data=extra, method=st.sampled_from(["get", "post"]))
def test_joining_with_any_form_data(world, data, method):
    with example():
        client = world.client(LEARNER)
        before = snapshot.take()
        url = f"/teams/join/{world.team_a.invite_code}/"
        response = getattr(client, method)(url, data)
        if method == "get" and has_nul(urlencode(data, doseq=True)):
            assert response.status_code == 400
        elif method == "get":
            assert response.status_code == 200
            assert_unchanged(before, "a GET")
        elif response.status_code == 302:
            assert is_local(response["Location"])
            found = snapshot.changes(before, snapshot.take())
            assert set(found) == {"accounts_membership"} and found["accounts_membership"].after == (
                before.counts["accounts_membership"] + 1
            )
        else:
            assert response.status_code == 400  # only a body over the size limit
            assert_unchanged(before, "the join was refused")


ACCOUNT_FIELDS = ("display_name", "email", "current_password")


@FAST_HASHING
@FUZZ
@given(data=st.data(), more=extra)
def test_the_account_page_takes_any_input(world, data, more):
    if data.draw(st.booleans()):  # a name a person could type, their address unchanged
        fields = {"display_name": data.draw(small_value), "email": world.users[LEARNER].email}
    else:
        fields = data.draw(st.fixed_dictionaries(dict.fromkeys(ACCOUNT_FIELDS, value)))
    with example():
        client = world.client(LEARNER)
        before = snapshot.take()
        response = client.post("/accounts/profile/", {**more, **fields})
        event(f"account: {response.status_code}")
        if response.status_code == 302:
            assert response["Location"] == "/accounts/profile/"
            found = snapshot.changes(before, snapshot.take())
            assert set(found) <= {"accounts_profile", "django_session"}, found
        else:
            assert response.status_code in (400, 429)
            assert_says_why(response)
            assert_unchanged(before, "the account form was refused")


@FUZZ
@given(due_on=small_value, more=extra)
def test_the_team_courses_page_takes_any_due_date(world, due_on, more):
    with example():
        client = world.client(MANAGER_A)
        before = snapshot.take()
        response = client.post(
            f"/teams/{world.team_a.slug}/courses/", {**more, f"course-{world.course.pk}-due_on": due_on}
        )
        event(f"due date: {response.status_code}")
        if response.status_code == 302:
            found = snapshot.changes(before, snapshot.take())
            assert set(found) <= {"accounts_team_courses"}, found
        else:
            assert response.status_code == 400
            assert_says_why(response)
            assert_unchanged(before, "the due dates were refused")


# --- quizzes -----------------------------------------------------------------------------


@FUZZ
@given(data=st.data(), htmx=st.booleans(), more=extra)
def test_submitting_a_quiz_with_any_answers(world, data, htmx, more):
    with example():
        client = world.client(LEARNER)
        client.get(world.quiz.get_absolute_url())  # issues the learner's open attempt
        open_attempt = Attempt.objects.get(
            user=world.users[LEARNER], quiz=world.quiz, submitted_at__isnull=True
        )
        questions = list(world.quiz.questions.prefetch_related("choices"))
        all_choices = [str(pk) for pk in Choice.objects.values_list("pk", flat=True)[:300]]
        attempt_ids = [open_attempt.pk, world.own_attempt.pk, world.other_attempt.pk]
        # Half the examples answer the open attempt as a real form can (a choice of the
        # question, or nothing); the other half send anything at all: other people's attempts,
        # choices of other questions, junk.
        honest = data.draw(st.booleans())
        attempt = str(open_attempt.pk)
        if not honest:
            ids = st.sampled_from([str(pk) for pk in attempt_ids])
            attempt = data.draw(st.one_of(ids, small_value))
        left_out = data.draw(st.sets(st.sampled_from([q.pk for q in questions]), max_size=2))
        answers = {}
        for question in questions:
            own = [str(c.pk) for c in question.choices.all()]
            right = [str(c.pk) for c in question.choices.all() if c.is_correct]
            right = right if question.kind == "multiple" else right[0]
            if honest:
                choice = st.none() if question.pk in left_out else st.one_of(
                    st.just(right), st.sampled_from(own)
                )
            else:
                choice = st.one_of(
                    st.just(right),
                    st.sampled_from(all_choices),
                    st.lists(st.sampled_from(all_choices), max_size=3),
                    small_value,
                    st.none(),  # left out
                )
            answers[f"q{question.pk}"] = data.draw(choice)
        form = {**more, "attempt": attempt, **{k: v for k, v in answers.items() if v is not None}}
        headers = {"HX-Request": "true"} if htmx else {}
        before = snapshot.take()
        response = client.post(world.quiz.get_absolute_url(), form, headers=headers)

        open_attempt.refresh_from_db()
        event(f"quiz: {response.status_code}, graded={open_attempt.is_submitted}")
        if open_attempt.is_submitted:
            # Graded: exactly this attempt, with one response per question, nothing else.
            assert attempt == str(open_attempt.pk)
            assert response.status_code == (200 if htmx else 302)
            # One response per question the attempt asked (a pool draws some of them).
            asked = len(open_attempt.question_order) if world.quiz.draw_count else len(questions)
            assert Response.objects.filter(attempt=open_attempt).count() == asked
            found = snapshot.changes(before, snapshot.take())
            # The answers' review cards and their logs follow (review.services, after commit).
            assert set(found) <= {"quizzes_attempt", "quizzes_response", "quizzes_response_chosen",
                                  "review_card", "review_reviewlog"}  # fmt: skip
            assert found["quizzes_attempt"].changed == {open_attempt.pk}
            return
        if response.status_code == 200:
            assert form_errors(response) or "already submitted" in response.content.decode()
        elif response.status_code == 302:
            # The learner's own, already graded attempt: shown again, graded only once.
            assert attempt == str(world.own_attempt.pk)
        else:
            assert response.status_code in REFUSALS
            assert_says_why(response)
        assert_unchanged(before, f"the submission was not graded ({response.status_code})")


# --- the matrix --------------------------------------------------------------------------

ROW_KEYS = ("domain-coverage", "output-format", "regulatory-audit", "reasoning-breadth")
VERDICTS = ["Fine-tune wins", "Marginal gain", "No difference", "Prompting works", "Generalist wins"]
CONFIDENCES = ["", "sure", "think_so", "guessing"]


@FUZZ
@given(data=st.data(), htmx=st.booleans(), more=extra)
def test_predicting_with_any_input(world, data, htmx, more):
    # Half the examples predict as the form does (where they come back to is still fuzzed),
    # the other half send anything: unknown columns and rows, junk verdicts and confidences,
    # missing rows.
    if data.draw(st.booleans()):
        column, verdict, present = st.just("strong"), st.sampled_from(VERDICTS), st.just(True)
        confidence = st.sampled_from(CONFIDENCES)
    else:
        column = st.one_of(st.just("strong"), st.just("weak"), small_value)
        verdict = st.one_of(st.sampled_from(VERDICTS), small_value)
        present = st.booleans()
        confidence = st.one_of(st.sampled_from(CONFIDENCES), small_value)
    form = {
        **more,
        "column": data.draw(column),
        "confidence": data.draw(confidence),
        **{f"row-{key}": data.draw(verdict) for key in ROW_KEYS if data.draw(present)},
        "widget": data.draw(st.one_of(st.just("0"), small_value)),
        "page": data.draw(st.one_of(st.just(world.lesson.get_absolute_url()), small_value)),
        "query": data.draw(st.one_of(st.just("base=strong"), small_value)),
    }
    with example():
        client = world.client(LEARNER)
        headers = {"HX-Request": "true"} if htmx else {}
        before = snapshot.take()
        response = client.post(f"/matrix/{world.matrix.slug}/predict/", form, headers=headers)
        found = snapshot.changes(before, snapshot.take())
        event(f"predictions: {response.status_code}")
        if response.status_code in (200, 303):
            # Saved: one prediction per condition, all the learner's, and the way back is local.
            assert set(found) == {"matrix_matrixprediction"}
            added = MatrixPrediction.objects.filter(pk__in=found["matrix_matrixprediction"].added)
            assert added.count() == len(ROW_KEYS)
            assert set(added.values_list("user", flat=True)) == {world.users[LEARNER].pk}
            if response.status_code == 303:
                assert is_local(response["Location"]), response["Location"]
        else:
            assert response.status_code == (422 if htmx else 400)  # core.refusals
            assert_says_why(response)
            assert found == {}, "the predictions were refused, yet rows changed"


MATRIX_PARAMS = ["base", "view", "reveal", "widget", "page", "m1-base", "m1-view", "m99-base"]
ADVISOR_PARAMS = ["preset", "strength", "reason", "perception", "widget", "page", "m1-preset"]


def params_for(names):
    return st.dictionaries(st.one_of(st.sampled_from(names), key), small_value, max_size=5)


@FUZZ
@given(params=params_for(MATRIX_PARAMS), htmx=st.booleans(), where=st.sampled_from(["matrix", "lesson"]))
def test_the_matrix_takes_any_query_string(world, params, htmx, where):
    url = world.matrix.get_absolute_url() if where == "matrix" else world.lesson.get_absolute_url()
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"} if htmx else {}
    with example():
        before = snapshot.take()
        response = Client().get(f"{url}?{query(params)}", headers=headers)
        if has_nul(query(params)):
            assert response.status_code == 400  # refused before any view: see config/security.py
            return
        assert response.status_code == 200
        if htmx and where == "matrix":
            assert "<html" not in response.content.decode()
            assert is_local(response.get("HX-Push-Url", "/"))
        assert_unchanged(before, "a GET by a visitor")


@FUZZ
@given(params=params_for(ADVISOR_PARAMS), htmx=st.booleans())
def test_the_advisor_takes_any_query_string(world, params, htmx):
    url = f"/matrix/{world.matrix.slug}/advisor/?{query(params)}"
    with example():
        client = world.client(LEARNER)
        before = snapshot.take()
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        if has_nul(url):
            assert response.status_code == 400
        elif htmx:
            assert response.status_code == 200
            assert is_local(response.get("HX-Push-Url", "/"))
        else:
            assert response.status_code == 302 and is_local(response["Location"])
        assert_unchanged(before, "a GET")


def has_nul(query_string: str) -> bool:
    """A NUL character anywhere in the query: the request never reaches a view (400)."""
    return "\x00" in unquote(query_string)


# --- dashboards and authoring ------------------------------------------------------------


@FUZZ
@given(course=small_value, more=extra, csv=st.booleans())
def test_the_team_dashboard_takes_any_course_filter(world, course, more, csv):
    path = f"/teams/{world.team_a.slug}/" + ("export.csv" if csv else "")
    with example():
        client = world.client(MANAGER_A)
        before = snapshot.take()
        response = client.get(f"{path}?{query({**more, 'course': course})}")
        assert response.status_code in ((400,) if has_nul(query({**more, "course": course})) else (200, 404))
        assert_unchanged(before, "a GET")


EMBEDS = st.builds(
    lambda slug, kind: f"[[{kind}:{slug}]]",
    st.one_of(st.sampled_from(["base-strength", "draft-matrix", ""]), text),
    st.sampled_from(["matrix", "quiz", "MATRIX", ""]),
)


@FUZZ
@given(
    body=st.one_of(
        value,
        st.lists(st.one_of(text, EMBEDS, st.sampled_from(NASTY)), max_size=8).map("\n".join),
        st.just("x" * (Lesson.MAX_BODY_LENGTH + 1)),
    ),
    more=extra,
)
def test_the_admin_lesson_preview_takes_any_body(world, body, more):
    with example():
        client = world.client(INSTRUCTOR)
        before = snapshot.take()
        response = client.post("/admin/lessons/lesson/preview/", {**more, "body": body})
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            # The preview's own limit, or the request's (over half a megabyte in all).
            page = response.content.decode()
            assert "the limit is" in page or "too large" in page
        assert_unchanged(before, "a preview saves nothing")
