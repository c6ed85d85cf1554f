"""The page cache (config/page_cache.py): shared pages are rendered once, never share a
visitor's CSRF token or CSP nonce, show content edits on the next request, and never serve
one person's page to another."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from config import page_cache
from lessons.models import Lesson
from matrix.models import MatrixCell
from quizzes.models import Question, Quiz
from tests.factories import make_course, make_lesson, make_quiz

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NONCE = re.compile(r'<script[^>]* nonce="([^"]+)"')


@pytest.fixture
def lesson(db):
    course = make_course(slug="notes", title="Clinical notes")
    return make_lesson(course=course, slug="first", title="First lesson", body="The first body.")


def lesson_url(lesson):
    return reverse("lessons:detail", kwargs={"course": lesson.course.slug, "lesson": lesson.slug})


def html(response) -> str:
    """The page, once its per-request values are checked to be filled in: every CSRF token a
    masked one (64 characters, not a 32-digit placeholder), every nonce the header's."""
    text = response.content.decode()
    for token in TOKEN.findall(text) + CSRF_FIELD.findall(text):
        assert len(token) == 64, token
    for nonce in NONCE.findall(text):
        assert f"'nonce-{nonce}'" in response.get("Content-Security-Policy", ""), nonce
    return text


def test_a_second_visitor_gets_the_page_from_the_cache(lesson, django_assert_num_queries):
    Client().get("/")
    with django_assert_num_queries(1):  # the content version
        response = Client().get("/")
    assert response.status_code == 200
    assert "Clinical notes" in html(response)


class FakeClock:
    """``time.monotonic`` for config.page_cache, moved on by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(settings, monkeypatch):
    """The content version read at most once a second, as in production, on a fake clock."""
    settings.PAGE_CACHE_VERSION_SECONDS = 1
    fake = FakeClock()
    monkeypatch.setattr(page_cache.time, "monotonic", fake)
    return fake


def test_within_a_second_a_kept_page_costs_no_query(lesson, clock, django_assert_num_queries):
    Client().get("/")
    clock.now += 0.9
    with django_assert_num_queries(0):
        assert "Clinical notes" in html(Client().get("/"))
    clock.now += 0.2
    with django_assert_num_queries(1):  # a second on: the content version read again
        assert "Clinical notes" in html(Client().get("/"))


def test_an_edit_saved_here_shows_at_once_and_one_saved_elsewhere_within_the_period(
    lesson, clock
):
    assert "First lesson" in html(Client().get(lesson_url(lesson)))
    # Saved in this process (the admin, load_content): the next page has it.
    lesson.title = "Renamed here"
    lesson.save()
    assert "Renamed here" in html(Client().get(lesson_url(lesson)))
    # Saved by another process: no signal reaches this one (an update() sends none either).
    Lesson.objects.filter(pk=lesson.pk).update(title="Renamed elsewhere", updated_at=timezone.now())
    page_cache.cache.clear()  # and the page itself expired, say: still this process's version
    clock.now += 0.5
    page = html(Client().get(lesson_url(lesson)))
    assert "Renamed elsewhere" in page  # rendered afresh, whatever the version
    Lesson.objects.filter(pk=lesson.pk).update(
        title="Renamed again elsewhere", updated_at=timezone.now()
    )
    clock.now += 0.3
    assert "Renamed elsewhere" in html(Client().get(lesson_url(lesson)))  # within the second
    clock.now += 0.3  # past it: the version is read again and the edit shows
    assert "Renamed again elsewhere" in html(Client().get(lesson_url(lesson)))


def test_each_visitor_gets_their_own_csrf_token_and_it_works(lesson):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    page = second.get(lesson_url(lesson))
    second.get(lesson_url(lesson))  # and again, from the cache
    page = second.get(lesson_url(lesson))
    token = TOKEN.search(html(page)).group(1)
    assert "csrftoken" in second.cookies
    # The token in a cached page belongs to this visitor's cookie: a POST with it passes the
    # CSRF check (the login form answers 200 with its errors, not 403).
    response = second.post(
        reverse("login"), {"username": "x", "password": "y"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    refused = first.post(
        reverse("login"), {"username": "x", "password": "y"}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 403


def test_each_response_carries_a_fresh_nonce_that_matches_its_header(lesson):
    client = Client()
    nonces = []
    for _ in range(3):
        response = client.get("/")
        nonce = NONCE.search(html(response)).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_editing_a_course_or_lesson_shows_on_the_next_request(lesson):
    client = Client()
    assert "First lesson" in html(client.get("/courses/notes/"))
    lesson.title = "Renamed lesson"
    lesson.save()
    assert "Renamed lesson" in html(client.get("/courses/notes/"))
    lesson.course.title = "Renamed course"
    lesson.course.save()
    assert "Renamed course" in html(client.get("/"))


def test_drafting_or_deleting_a_lesson_shows_on_the_next_request(lesson):
    second = make_lesson(course=lesson.course, slug="second", title="Second lesson")
    client = Client()
    assert "Second lesson" in html(client.get(lesson_url(lesson)))
    Lesson.objects.filter(pk=second.pk).delete()
    assert "Second lesson" not in html(client.get(lesson_url(lesson)))
    assert client.get(lesson_url(second)).status_code == 404


def test_quiz_changes_show_on_the_next_request(lesson, admin_user, clock):
    """With the content version kept for a second (``clock`` never moves here): a save, and
    an admin action that updates rows without one, are seen by the next page at once."""
    quiz = make_quiz(course=lesson.course, slug="check", questions=2)
    client = Client()
    assert "2 questions" in html(client.get("/courses/notes/"))
    Question.objects.create(quiz=quiz, order=3, prompt="A third?", explanation="Because.")
    assert "3 questions" in html(client.get("/courses/notes/"))
    # The admin's unpublish action updates many quizzes at once (no save()).
    admin = Client()
    admin.force_login(admin_user)
    admin.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": "unpublish", "_selected_action": [quiz.pk]},
    )
    assert not Quiz.objects.get(pk=quiz.pk).is_published
    assert "Quiz check" not in html(client.get("/courses/notes/"))


def test_a_matrix_edit_shows_in_an_embedding_lesson_at_once(lesson, matrix, clock):
    lesson.body = "Before.\n\n[[matrix:base-strength]]\n"
    lesson.save()
    client = Client()
    assert "A freshly edited verdict" not in html(client.get(lesson_url(lesson)))
    # The embedded widget shows the default column.
    cell = MatrixCell.objects.filter(column__is_default=True).order_by("row__order").first()
    cell.verdict = "A freshly edited verdict"
    cell.save()
    assert "A freshly edited verdict" in html(client.get(lesson_url(lesson)))


def test_a_logged_in_page_is_never_shared(lesson, make_user):
    learner = make_user("lena")
    client = Client()
    client.force_login(learner)
    mine = html(client.get("/"))
    assert "Signed in as <strong>lena</strong>" in mine
    anonymous = html(Client().get("/"))
    assert "lena" not in anonymous
    assert "Signed in as <strong>lena</strong>" in html(client.get("/"))


def test_a_pending_message_is_shown_not_a_cached_page(lesson):
    Client().get("/")  # cached without a message
    request = RequestFactory().get("/")
    cookie = CookieStorage(request)._encode([Message(constants.INFO, "A message for you")])
    client = Client()
    client.cookies["messages"] = cookie
    assert "A message for you" in html(client.get("/"))
    # Shown once: the next page is the shared one again.
    assert "A message for you" not in html(client.get("/"))


def test_not_found_pages_are_not_kept(lesson):
    url = "/courses/notes/later/"
    assert Client().get(url).status_code == 404
    make_lesson(course=lesson.course, slug="later", title="A later lesson")
    assert "A later lesson" in html(Client().get(url))


def test_the_cache_can_be_turned_off(lesson, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get("/")
    with django_assert_num_queries(1):  # the catalog's own query, and no content version
        assert "Clinical notes" in html(Client().get("/"))


def test_the_content_version_changes_with_any_content_table(lesson):
    before = page_cache.content_version()
    assert page_cache.content_version() == before
    make_quiz(course=lesson.course, slug="another", questions=1)
    assert page_cache.content_version() != before


def test_the_release_is_stable_within_a_process():
    assert page_cache.release() == page_cache.release()
    assert re.fullmatch(r"[0-9a-f]{12}", page_cache.release())


# Keys: what the page reads, never junk (finding F2) ----------------------------------------

MATRIX_URL = "/matrix/base-strength/"
FLOOD = 500


@pytest.fixture
def stored_keys(monkeypatch):
    """The distinct keys the page cache stores pages under, as requests come in."""
    keys = set()
    real_set = page_cache.cache.set

    def spy(key, *args, **kwargs):
        if key.startswith("page:"):
            keys.add(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    return keys


def page_entries() -> int:
    """The page cache's entries in the local-memory cache (pages and variant counters)."""
    return sum(":page:" in key for key in page_cache.cache._cache)


@pytest.fixture
def embedding(lesson, matrix):
    lesson.body = "Before.\n\n[[matrix:base-strength]]\n"
    lesson.save()
    return lesson


def test_a_flood_of_junk_parameters_ports_and_current_urls_adds_a_few_entries(
    embedding, stored_keys
):
    client = Client()
    url = lesson_url(embedding)
    before = page_entries()
    for i in range(FLOOD):
        host = f"testserver:{1000 + i}"
        assert client.get(url, {"utm": i}, headers={"Host": host}).status_code == 200
        assert client.get(MATRIX_URL, {"utm": i}, headers={"Host": host}).status_code == 200
        current = f"http://testserver:{1000 + i}{url}?utm={i}&ref=x{i}"
        partial = client.get(
            MATRIX_URL,
            {"base": "strong", "page": url},
            headers={"HX-Request": "true", "HX-Current-URL": current},
        )
        assert partial.status_code == 200
    print(f"page cache: {len(stored_keys)} keys stored, {page_entries() - before} entries added")
    # The lesson, the matrix page, the region; and the region's variant counter.
    assert len(stored_keys) <= 3
    assert page_entries() - before <= 4


def test_a_different_state_of_the_page_gets_its_own_entry(embedding, stored_keys):
    url = lesson_url(embedding)
    client = Client()
    plain = html(client.get(url))
    strong = html(client.get(url, {"base": "strong"}))
    assert len(stored_keys) == 2
    # Served from the cache, each state is still its own page.
    assert html(client.get(url, {"base": "strong", "utm": "x"})) != plain
    again = html(client.get(url, {"utm": "y", "base": " strong "}))
    assert 'value="strong" checked' in again
    assert len(stored_keys) == 2
    assert strong.count("checked") == again.count("checked")


def test_a_parameter_the_page_does_not_read_is_not_echoed_into_it(embedding):
    url = lesson_url(embedding)
    page = html(Client().get(url, {"utm": "campaign-x", "base": "strong"}))
    assert "campaign-x" not in page
    assert "utm" not in page
    # The "Log in" link still comes back to the same state of the page.
    assert f"next={url}%3Fbase%3Dstrong" in page.replace("%2F", "/")


def test_a_region_is_keyed_on_where_it_sits_not_the_raw_current_url(embedding, stored_keys):
    url = lesson_url(embedding)
    client = Client()

    def region(current, **params):
        response = client.get(
            MATRIX_URL,
            {"page": url, **params},
            headers={"HX-Request": "true", "HX-Current-URL": current},
        )
        return response, html(response)

    response, plain = region(f"http://testserver{url}?utm=1", base="strong")
    assert response["HX-Push-Url"] == f"{url}?base=strong"
    response, other_host = region(f"http://elsewhere:81{url}?utm=2&base=weak", base="strong")
    assert other_host == plain and len(stored_keys) == 1
    # A real difference on the page (the advisor's preset, carried in the region's links).
    response, with_preset = region(f"http://testserver{url}?preset=diagnostics", base="strong")
    assert response["HX-Push-Url"] == f"{url}?base=strong&preset=diagnostics"
    assert "preset=diagnostics" in with_preset and "preset=diagnostics" not in plain
    assert len(stored_keys) == 2


def test_values_the_page_cannot_honour_are_not_kept(embedding, stored_keys):
    url = lesson_url(embedding)
    client = Client()
    assert "no base strength" in html(client.get(url, {"base": "nonsense"}))
    for value in ("x1", "x2"):
        client.get(url, {"base": value})
        client.get(url, {"preset": value})
        client.get(url, {"view": value})
        client.get(url, {"reason": value})
        client.get(MATRIX_URL, {"base": value}, headers={"HX-Request": "true"})
    assert stored_keys == set()


def test_junk_the_page_cannot_tell_from_a_state_is_bounded(embedding, stored_keys):
    # A second widget's parameter on a page that has one: read by no widget, shown nowhere,
    # but a valid spelling; the variants of one page are capped.
    url = lesson_url(embedding)
    client = Client()
    for i in range(page_cache.MAX_VARIANTS + 20):
        assert client.get(url, {"m9-base": f"strong{i}"}).status_code == 200
    assert len(stored_keys) == page_cache.MAX_VARIANTS
    # The plain page is kept all the same.
    client.get(url)
    assert len(stored_keys) == page_cache.MAX_VARIANTS + 1


# Placeholders nobody can plant (finding F4) ------------------------------------------------

# The fixed placeholders the cache used before, and what else an author or a URL could try.
PLANTED = [
    "page-cache-csrf-5b0e2f7c9d1a4e36",
    "page-cache-nonce-8c3d6a1f2e7b4d90",
    "0123456789abcdef0123456789abcdef",
    "{{ csrf_token }}",
    "{{ csp_nonce }}",
]


@pytest.fixture
def stored_pages(monkeypatch):
    """What the page cache stores: (body, headers, placeholders) by key."""
    pages = {}
    real_set = page_cache.cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("page:"):
            pages[key] = value
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    return pages


def assert_only_where_the_page_puts_them(page: str) -> None:
    """The request's token and nonce occur only in the ``hx-headers``, form fields and
    ``<script nonce>`` the templates write, never in content."""
    placed = TOKEN.findall(page) + CSRF_FIELD.findall(page) + NONCE.findall(page)
    assert placed
    for value in set(placed):
        assert page.count(value) == placed.count(value), f"{value} written into content"


def test_placeholders_planted_in_a_lesson_body_are_left_alone(lesson):
    links = " ".join(f"[link {n}](/elsewhere/?t={value})" for n, value in enumerate(PLANTED))
    lesson.body = f"Planted: {' '.join(PLANTED)}\n\n{links}\n"
    lesson.save()
    reader = Client(enforce_csrf_checks=True)
    for _ in range(2):  # rendered, then from the cache
        response = reader.get(lesson_url(lesson))
        page = html(response)
        assert_only_where_the_page_puts_them(page)
        for value in PLANTED[:3]:
            assert f"/elsewhere/?t={value}" in page
    # The page still works: its token passes the CSRF check with the reader's cookie.
    token = TOKEN.search(page).group(1)
    answer = reader.post(
        reverse("login"), {"username": "x", "password": "y"}, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 200


@pytest.mark.parametrize("planted", PLANTED[:3])
def test_placeholders_planted_in_a_query_string_are_left_alone(embedding, planted):
    url = lesson_url(embedding)
    client = Client()
    requests = [
        (url, {"base": planted, "utm": planted}, {}),
        (MATRIX_URL, {"base": planted}, {}),
        (
            MATRIX_URL,
            {"base": planted, "page": url},
            {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}?preset={planted}"},
        ),
        (
            MATRIX_URL,
            {"base": "strong", "page": url},
            {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}?m1-base={planted}"},
        ),
    ]
    for path, params, headers in requests:
        for _ in range(2):
            response = client.get(path, params, headers=headers)
            page = html(response)
            assert planted in page
            if "<html" in page:
                assert_only_where_the_page_puts_them(page)


def test_the_placeholders_are_new_for_every_render_and_never_sent(lesson, stored_pages):
    client = Client()
    responses = [client.get("/"), client.get(lesson_url(lesson))]
    responses += [client.get("/"), client.get(lesson_url(lesson))]  # from the cache
    assert len(stored_pages) == 2
    marks = [
        mark
        for _, _, placeholders in stored_pages.values()
        for mark in (placeholders.csrf, placeholders.nonce)
    ]
    assert len(set(marks)) == 4
    for parts, _, placeholders in stored_pages.values():
        body = b"".join(raw for raw, _ in parts)
        assert placeholders.csrf.encode() in body and placeholders.nonce.encode() in body
    for response in responses:
        html(response)
        assert not any(mark in response.content.decode() for mark in marks)
