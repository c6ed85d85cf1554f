"""Query budgets: every learner page and partial, the team dashboard and its CSV cost an exact
number of queries, the same in a small world and a large one.

Two worlds, each built once for this module from the shipped content and rolled back after:

- small: 3 lessons per course, 2 questions per quiz, a cohort of 5 learners (a 5-member team);
- large: 30 lessons in the course under test, 12 questions per quiz, a cohort of 500 learners
  (a 500-member team).

The learner whose pages are measured has done everything but the last lesson of the course
(2 lessons, or 29), submitted 1 or 5 quiz attempts and made 1 or 3 matrix predictions. Every
test runs in both worlds against the same number: a count that grew with the data would fail
one of the two. The numbers, and the budgets (at most 10 queries per learner page, 15 per
dashboard), come from one table, benchmarks/budgets.py, which the README shows too.
"""

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from benchmarks.budgets import DASHBOARD_BUDGET, LEARNER_PAGE_BUDGET, QUERIES
from benchmarks.budgets import queries as budget
from lessons.models import Lesson, LessonCompletion
from matrix.models import DecisionMatrix, MatrixPrediction
from matrix.predictions import verdict_choices
from matrix.selectors import matrix_grid
from quizzes.models import Attempt, Question, Quiz

from .worlds import COURSE, EMBED_LESSON, MATRIX, SIZES, build_world


@pytest.fixture(scope="module", params=list(SIZES))
def world(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(request.param)
        transaction.set_rollback(True)


@pytest.fixture
def learner_client(client, world):
    client.force_login(world.learner)
    return client


def production_count(statements: list[str]) -> int:
    """The number of queries Django logs for these statements outside a test.

    Each test runs inside a transaction, so an atomic block that would begin and commit a
    transaction in production shows up as a SAVEPOINT and a RELEASE (or ROLLBACK TO): those
    two are left out, as Django logs no statement for BEGIN and COMMIT. Savepoints nested
    inside such a block are counted, as they are in production.
    """
    count, depth = 0, 0
    for sql in statements:
        if sql.startswith("SAVEPOINT "):
            depth += 1
            count += depth > 1
        elif sql.startswith(("RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")):
            count += depth > 1
            depth -= 1
        else:
            count += 1
    return count


def count_queries(client, method, url, **kwargs):
    """The response and its production count, with what runs after the commit counted too.

    A test runs inside a transaction that never commits, so callbacks registered with
    ``transaction.on_commit`` (the receivers of ``core.events.answer_recorded``: review cards)
    are run here as a committed request would run them, and their queries counted.
    """
    from django.db import connection

    with (
        CaptureQueriesContext(connection) as queries,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = getattr(client, method)(url, **kwargs)
    return response, production_count([query["sql"] for query in queries.captured_queries])


def lesson_url(lesson):
    return reverse("lessons:detail", kwargs={"course": lesson.course.slug, "lesson": lesson.slug})


HX = {"HX-Request": "true"}

# The exact counts of a page made by its view, with the app's cache warm (the first request
# fills it, as in production) but the page cache off. Learner pages count the session and the
# user (2 queries) among them; a matrix costs one query (its columns, rows, cells and presets
# come from the cache, keyed by its updated_at). The matrix's explore region and the advisor
# never read the session or the user: they are the same for everyone.
GET_PAGES = {
    # name: (url builder, logged in, htmx); the count is budget(name)
    "catalog_anonymous": (lambda w: reverse("courses:catalog"), False, False),
    "catalog": (lambda w: reverse("courses:catalog"), True, False),
    "overview_anonymous": (lambda w: reverse("courses:overview", kwargs={"course": COURSE}), False, False),
    "overview": (lambda w: reverse("courses:overview", kwargs={"course": COURSE}), True, False),
    "shipped_lesson_anonymous": (lambda w: lesson_url(w.lessons[0]), False, False),
    "shipped_lesson": (lambda w: lesson_url(w.lessons[0]), True, False),
    "lesson_with_matrix_anonymous": (
        lambda w: lesson_url(next(x for x in w.lessons if x.slug == EMBED_LESSON)), False, False),
    "lesson_with_matrix": (
        lambda w: lesson_url(next(x for x in w.lessons if x.slug == EMBED_LESSON)), True, False),
    "matrix_page": (lambda w: reverse("matrix:detail", kwargs={"matrix": MATRIX}), True, False),
    "matrix_partial": (
        lambda w: reverse("matrix:detail", kwargs={"matrix": MATRIX}) + "?base=strong", True, True),
    "matrix_predict_partial": (
        lambda w: reverse("matrix:detail", kwargs={"matrix": MATRIX}) + "?view=predict", True, True),
    "matrix_compare_partial": (
        lambda w: reverse("matrix:detail", kwargs={"matrix": MATRIX}) + "?view=compare", True, True),
    "matrix_reveal_partial": (
        lambda w: reverse("matrix:detail", kwargs={"matrix": MATRIX}) + "?reveal="
        + str(MatrixPrediction.objects.filter(user=w.learner).values_list("submission", flat=True)[0]),
        True, True),
    "advisor_partial": (
        lambda w: reverse("matrix:advisor", kwargs={"matrix": MATRIX}) + "?preset=diagnostics",
        True, True),
    "quiz_page": (lambda w: reverse("quizzes:take", kwargs={"quiz": w.quiz.slug}), True, False),
    "attempt_page": (lambda w: w.attempt.get_absolute_url(), True, False),
    "attempt_partial": (lambda w: w.attempt.get_absolute_url(), True, True),
    "learner_dashboard": (lambda w: reverse("progress:mine"), True, False),
}


# Pages that everyone of a kind sees alike (config/page_cache.py), served from the page cache
# after the first request: one query, the content version.
SHARED_PAGES = [
    "catalog_anonymous", "overview_anonymous", "shipped_lesson_anonymous", "lesson_with_matrix_anonymous",
    "matrix_partial", "advisor_partial",
]


def visited(name, world, client):
    """Log in if the page needs it and request it once (first-request caches: content types,
    templates); return its url, headers, whether it is htmx, and its expected count."""
    url_of, logged_in, htmx = GET_PAGES[name]
    expected = budget(name)
    if logged_in:
        client.force_login(world.learner)
    url = url_of(world)
    headers = HX if htmx else {}
    client.get(url, headers=headers)
    return url, headers, htmx, expected


@pytest.mark.parametrize("name", list(GET_PAGES))
def test_learner_page_costs_a_fixed_number_of_queries(name, world, client, db, settings):
    # The view's own queries: the page caches off (a learner's page, rendered, costs one more:
    # their state, config/personal_pages.py).
    settings.PAGE_CACHE_SECONDS = settings.PERSONAL_PAGE_SECONDS = 0
    url, headers, htmx, expected = visited(name, world, client)
    response, queries = count_queries(client, "get", url, headers=headers)
    assert response.status_code == 200
    assert (b"<html" in response.content) is not htmx
    assert queries == expected, f"{name} in the {world.size} world: {queries} queries"
    assert expected <= LEARNER_PAGE_BUDGET


@pytest.mark.parametrize("name", SHARED_PAGES)
def test_a_shared_page_costs_one_query_once_cached(name, world, client, db):
    url, headers, _, expected = visited(name, world, client)
    cache.clear()
    first, made = count_queries(client, "get", url, headers=headers)
    again, served = count_queries(client, "get", url, headers=headers)
    assert first.status_code == again.status_code == 200
    # The view's queries refill the app's caches too (the matrix grid), then one for the key.
    assert made >= expected + 1
    assert served == budget("shared_page_cached"), f"{name} in the {world.size} world: {served} queries from the cache"


# A signed-in learner's own pages, kept per learner (config/personal_pages.py) until something
# they show changes.
PERSONAL_PAGES = [
    "catalog", "overview", "shipped_lesson", "lesson_with_matrix", "quiz_page", "learner_dashboard",
]


@pytest.mark.parametrize("name", PERSONAL_PAGES)
def test_a_personal_page_costs_three_queries_once_kept(name, world, client, db, settings):
    settings.PERSONAL_PAGE_SECONDS = 60
    url, headers, _, expected = visited(name, world, client)
    # The quiz page issued its attempt on the first visit; the next renders and keeps it.
    caches["personal"].clear()
    first, made = count_queries(client, "get", url, headers=headers)
    again, served = count_queries(client, "get", url, headers=headers)
    assert first.status_code == again.status_code == 200
    assert made > served
    assert served == budget("personal_page_kept"), f"{name} in the {world.size} world: {served} queries kept"


@pytest.mark.parametrize("name", sorted(set(GET_PAGES) - set(SHARED_PAGES)))
def test_a_personal_page_is_never_served_from_the_page_cache(name, world, client, db, settings):
    settings.PERSONAL_PAGE_SECONDS = 0  # the shared page cache alone
    url, headers, _, expected = visited(name, world, client)
    _, queries = count_queries(client, "get", url, headers=headers)
    assert queries == expected


def test_quiz_page_issuing_a_fresh_attempt_costs_a_fixed_number(world, learner_client, db, settings):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    url = reverse("quizzes:take", kwargs={"quiz": world.quiz.slug})
    learner_client.get(reverse("courses:catalog"))  # warms the app's cache (the review summary)
    Attempt.objects.filter(user=world.learner, submitted_at__isnull=True).delete()
    response, queries = count_queries(learner_client, "get", url)
    assert response.status_code == 200
    assert queries == budget("quiz_page_fresh_attempt")
    assert Attempt.objects.filter(user=world.learner, submitted_at__isnull=True).count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_quiz_submission_costs_a_fixed_number_of_queries(world, learner_client, db, htmx):
    url = reverse("quizzes:take", kwargs={"quiz": world.quiz.slug})
    learner_client.get(url)  # issues the open attempt
    attempt = Attempt.objects.get(user=world.learner, quiz=world.quiz, submitted_at__isnull=True)
    data = {"attempt": attempt.pk}
    for question in world.quiz.questions.prefetch_related("choices"):
        data[f"q{question.pk}"] = str(question.choices.all()[0].pk)
    response, queries = count_queries(learner_client, "post", url, data=data,
                                      headers=HX if htmx else {})
    attempt.refresh_from_db()
    assert attempt.is_submitted
    if htmx:
        assert response.status_code == 200 and b"result-score" in response.content
        # The review of every question, built from the answers just graded.
        asked = SIZES[world.size]["questions"]
        if world.quiz.draw_count:  # a pool: the attempt asked only the questions it drew
            asked = min(asked, world.quiz.draw_count)
        assert response.content.count(b'class="review review-') == asked
    else:
        assert response.status_code == 302
    assert queries == budget("quiz_submission")
    assert queries <= QUERIES["quiz_submission"].limit


@pytest.mark.parametrize("htmx", [True, False])
def test_a_practice_step_costs_a_fixed_number_of_queries(world, learner_client, db, htmx):
    quiz = world.quiz
    Attempt.objects.filter(user=world.learner, quiz=quiz, submitted_at__isnull=True).delete()
    Quiz.objects.filter(pk=quiz.pk).update(mode=Quiz.Mode.PRACTICE)
    learner_client.get(reverse("quizzes:take", kwargs={"quiz": quiz.slug}))  # issues it
    attempt = Attempt.objects.get(user=world.learner, quiz=quiz, submitted_at__isnull=True)
    question = Question.objects.get(pk=attempt.question_order[0])
    data = {"attempt": attempt.pk, "question": question.pk,
            f"q{question.pk}": str(question.choices.all()[0].pk), f"c{question.pk}": "sure"}  # fmt: skip
    url = reverse("quizzes:answer", kwargs={"quiz": quiz.slug})
    response, queries = count_queries(learner_client, "post", url, data=data,
                                      headers=HX if htmx else {})  # fmt: skip
    assert response.status_code == (200 if htmx else 302)
    assert attempt.responses.count() == 1
    assert queries == budget("practice_step")
    assert queries <= QUERIES["practice_step"].limit


@pytest.mark.parametrize("again", [False, True])
def test_mark_complete_partial_costs_a_fixed_number_of_queries(world, learner_client, db, again):
    last = world.lessons[-1]
    url = reverse("lessons:complete", kwargs={"course": COURSE, "lesson": last.slug})
    # The learner marks complete from the lesson page, whose header warmed the review summary
    # that the success panel's next step reads (issue 19).
    learner_client.get(reverse("courses:catalog"))
    if again:
        learner_client.post(url, headers=HX)
    assert LessonCompletion.objects.filter(user=world.learner, lesson=last).exists() is again
    response, queries = count_queries(learner_client, "post", url, headers=HX)
    assert response.status_code == 200 and b"<html" not in response.content
    assert LessonCompletion.objects.filter(user=world.learner, lesson=last).exists()
    assert queries == budget("mark_complete_again" if again else "mark_complete")
    assert queries <= LEARNER_PAGE_BUDGET


def test_predict_and_reveal_partial_costs_a_fixed_number_of_queries(world, learner_client, db):
    grid = matrix_grid(slug=MATRIX)
    column = grid.hidden_columns[0]
    verdict = verdict_choices(grid)[-1]
    data = {"column": column.key, "confidence": "sure", **{f"row-{row.key}": verdict for row in grid.rows}}
    before = MatrixPrediction.objects.filter(user=world.learner).count()
    url = reverse("matrix:predict", kwargs={"matrix": MATRIX})
    response, queries = count_queries(learner_client, "post", url, data=data, headers=HX)
    assert response.status_code == 200 and b"<html" not in response.content
    assert MatrixPrediction.objects.filter(user=world.learner).count() == before + len(grid.rows)
    assert queries == budget("predict_and_reveal")
    assert queries <= LEARNER_PAGE_BUDGET


def test_team_dashboard_costs_a_fixed_number_of_queries(world, client, db):
    client.force_login(world.manager)
    url = reverse("progress:team", kwargs={"team": world.team.slug})
    client.get(url)
    response, queries = count_queries(client, "get", url)
    assert response.status_code == 200
    # The heatmap's table shows one page of members (50); the summary and the rest cover all.
    assert response.content.count(b'scope="row"') >= min(world.members, 50)
    # Warmed: the team-level aggregates come from the cache (15 cold: tests/progress).
    assert queries == budget("team_dashboard_cached")
    assert queries <= DASHBOARD_BUDGET


def test_team_csv_costs_a_fixed_number_of_queries(world, client, db):
    client.force_login(world.manager)
    url = reverse("progress:export", kwargs={"team": world.team.slug})
    client.get(url)
    response, queries = count_queries(client, "get", url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    courses = world.team.courses.count()
    # The first section: one row per member x course (a second, per objective, follows a blank line).
    progress_rows = content.decode().split("\r\n\r\n")[0].strip().splitlines()
    assert len(progress_rows) == 1 + world.members * courses
    # Warmed: the CSV kept whole (progress/kept_exports.py).
    assert queries == budget("team_csv_body_kept")
    assert queries <= DASHBOARD_BUDGET


def test_the_worlds_differ_in_size(world, db):
    size = SIZES[world.size]
    assert Lesson.objects.filter(course__slug=COURSE, status="published").count() == size["lessons"]
    assert Membership.objects.filter(team=world.team, role="member").count() == world.members
    assert Attempt.objects.filter(user=world.learner, submitted_at__isnull=False).count() == size["attempts"]
    assert DecisionMatrix.objects.filter(slug=MATRIX).exists()
