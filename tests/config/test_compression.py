"""Pages are gzipped for clients that accept it, except those holding a secret (BREACH).

config/compression.py explains which pages stay plain and why.
"""

import gzip
import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.compression import CompressionMiddleware, never_compressed
from notifications.models import Kind
from notifications.tokens import make_token
from tests.factories import make_course, make_lesson, make_person, make_team

pytestmark = pytest.mark.django_db
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
# The values that differ between two renders of the same page: the masked CSRF token, the nonce.
PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+')


def same_page(html: str) -> str:
    return PER_RESPONSE.sub(r"\1…", html)


@pytest.fixture
def lesson(db):
    course = make_course()
    return make_lesson(course=course, body="A paragraph of the lesson. " * 200)


def test_a_signed_in_lesson_page_comes_gzipped_and_unpacks_to_the_same_page(learner_client, lesson):
    plain = learner_client.get(lesson.get_absolute_url())
    packed = learner_client.get(lesson.get_absolute_url(), headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "Signed in as" in html
    assert same_page(html) == same_page(plain.content.decode())
    assert len(packed.content) < len(plain.content) / 3
    assert int(packed["Content-Length"]) == len(packed.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client, lesson):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "br"}):
        response = client.get(lesson.get_absolute_url(), headers=headers)
        assert "Content-Encoding" not in response
        assert b"A paragraph of the lesson." in response.content


def test_the_anonymous_cached_page_comes_gzipped_with_this_requests_token(client, lesson):
    """The page cache fills in the token and nonce before the page is compressed."""
    client.get(lesson.get_absolute_url())  # now in the page cache
    response = client.get(lesson.get_absolute_url(), headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    nonce = re.search(r"nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in html
    assert "X-CSRFToken" in html and "csrf-placeholder" not in html.lower()


def test_the_team_dashboard_and_members_page_with_the_invite_link_stay_plain(client):
    manager = make_person(username="mira")
    team = make_team(managers=[manager], members=[make_person(username="ben")])
    client.force_login(manager)
    for url in (reverse("progress:team", kwargs={"team": team.slug}),
                reverse("teams:members", kwargs={"team": team.slug}) + "?reflected=anything"):  # fmt: skip
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert team.invite_code in response.content.decode()
        assert "Content-Encoding" not in response, url


def test_the_pages_reached_through_a_secret_and_the_mail_preferences_stay_plain(client):
    person = make_person(username="ben")
    team = make_team(members=[make_person(username="dan")])
    token = make_token(user_id=person.pk, kind=Kind.values[0])
    for url in (reverse("notifications:unsubscribe", kwargs={"token": token}),
                reverse("teams:join", kwargs={"invite_code": team.invite_code})):  # fmt: skip
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
    client.force_login(person)
    for url in (reverse("notifications:preferences"), reverse("accounts:account")):
        response = client.get(url, headers=GZIP)
        assert person.email in response.content.decode(), url
        assert "Content-Encoding" not in response, url


def test_the_admin_stays_plain(admin_client):
    team = make_team()
    url = reverse("admin:accounts_team_change", args=[team.pk]) + "?_changelist_filters=q%3Dx"
    response = admin_client.get(url, headers=GZIP)
    assert response.status_code == 200 and team.invite_code in response.content.decode()
    assert "Content-Encoding" not in response
    assert "Content-Encoding" not in admin_client.get(reverse("admin:index"), headers=GZIP)


def test_a_body_deflated_once_is_sent_gzipped_or_plain_as_the_client_asks():
    """The team CSV is kept deflated (config.compression.Deflated): a browser gets it gzipped
    and padded as the middleware pads, a client that takes no gzip the text itself."""
    from config.compression import Deflated, deflated_response

    body = ("username,display_name\r\n" + "ann,Ann Ä\r\n" * 5000).encode()
    kept = Deflated.of(body)
    assert len(kept.blocks) < len(body) / 20 and kept.inflated() == body
    gzipped = deflated_response(
        RequestFactory().get("/", headers=GZIP), kept, content_type="text/csv"
    )
    assert gzipped["Content-Encoding"] == "gzip" and gzipped["Vary"] == "Accept-Encoding"
    assert gzip.decompress(gzipped.content) == body
    sizes = {
        len(deflated_response(RequestFactory().get("/", headers=GZIP), kept).content)
        for _ in range(30)
    }
    assert len(sizes) > 1  # the random padding against BREACH
    plain = deflated_response(RequestFactory().get("/"), kept, content_type="text/csv")
    assert plain.content == body and "Content-Encoding" not in plain
    # The middleware leaves both alone.
    for request, response in ((RequestFactory().get("/", headers=GZIP), gzipped),
                              (RequestFactory().get("/"), plain)):  # fmt: skip
        assert (
            CompressionMiddleware(lambda r, response=response: response)(request).content
            == response.content
        )


def test_the_csv_is_compressed_once():
    """A body already encoded (the CSV) is left alone by the middleware."""
    response = HttpResponse(b"x" * 1000, content_type="text/csv")
    response["Content-Encoding"] = "gzip"
    request = RequestFactory().get("/", headers=GZIP)
    assert CompressionMiddleware(lambda r: response)(request).content == b"x" * 1000


@pytest.mark.parametrize(
    "content_type, compressed",
    [("text/html; charset=utf-8", True), ("text/csv", True), ("application/json", True),
     ("image/png", False), ("application/octet-stream", False)],
)  # fmt: skip
def test_only_text_is_compressed(content_type, compressed):
    body = b"compressible " * 100
    request = RequestFactory().get("/", headers=GZIP)
    response = CompressionMiddleware(lambda r: HttpResponse(body, content_type=content_type))(
        request
    )
    assert (response.get("Content-Encoding") == "gzip") is compressed
    if compressed:
        assert gzip.decompress(response.content) == body


def test_never_compressed_is_honoured_and_compression_is_padded_with_random_bytes():
    body = b"<p>secret</p>" * 100
    request = RequestFactory().get("/", headers=GZIP)
    kept = CompressionMiddleware(never_compressed(lambda r: HttpResponse(body)))(request)
    assert kept.content == body and "Content-Encoding" not in kept
    lengths = {len(CompressionMiddleware(lambda r: HttpResponse(body))(request).content)
               for _ in range(30)}  # fmt: skip
    assert len(lengths) > 1  # Django's random FNAME padding (config/compression.py)


def test_the_middleware_sits_below_whitenoise_and_above_the_rest():
    middleware = settings.MIDDLEWARE
    position = middleware.index("config.compression.CompressionMiddleware")
    assert middleware[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert "django.middleware.gzip.GZipMiddleware" not in middleware


def test_whole_bodies_are_compressed_at_the_fast_level_and_streams_as_django_does():
    from django.http import StreamingHttpResponse

    body = b"<p>lesson</p>" * 500
    request = RequestFactory().get("/", headers=GZIP)
    whole = CompressionMiddleware(lambda r: HttpResponse(body))(request)
    assert whole.content[8] == 4  # the gzip header's XFL: "fastest" (level 1)
    streamed = CompressionMiddleware(
        lambda r: StreamingHttpResponse(iter([body, body]), content_type="text/csv")
    )(request)
    assert streamed["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(streamed.streaming_content)) == body + body


# -- kept pages: fixed parts deflated once, the token and nonce stored per response -------------------


def test_spliced_parts_make_one_gzip_member_of_the_parts_in_order():
    from config.compression import deflated_parts, spliced

    body = b"<p>" + b"text " * 500 + b"TOKEN</p><script nonce=NONCE>" + b"more " * 300 + b"TOKEN"
    parts = deflated_parts(body, [b"TOKEN", b"NONCE"])
    assert [raw for raw, deflated in parts if deflated is None] == [b"TOKEN", b"NONCE", b"TOKEN"]
    filled = [(b"t0k" if raw == b"TOKEN" else b"n0n" if raw == b"NONCE" else raw, deflated)
              for raw, deflated in parts]  # fmt: skip
    packed = spliced(filled, max_random_bytes=100)
    assert gzip.decompress(packed) == body.replace(b"TOKEN", b"t0k").replace(b"NONCE", b"n0n")
    assert len(packed) < len(body) / 4
    # The filled-in values are stored blocks: their bytes as they are, compressed with nothing.
    assert b"\x00\x03\x00\xfc\xfft0k" in packed and b"\x00\x03\x00\xfc\xffn0n" in packed
    # Django's random padding against BREACH, in the header's file name: lengths vary.
    assert len({len(spliced(filled, max_random_bytes=100)) for _ in range(20)}) > 1


@pytest.mark.parametrize("signed_in", [False, True], ids=["shared page", "personal page"])
def test_a_kept_page_is_compressed_from_its_parts_with_this_responses_token_and_nonce(
    client, learner, lesson, monkeypatch, signed_in, settings, django_capture_on_commit_callbacks
):
    from config import compression

    settings.PERSONAL_PAGE_SECONDS = 60
    if signed_in:
        client.force_login(learner)
    url = lesson.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):  # a learner's visit remembered
        first = client.get(url, headers=GZIP)  # rendered, kept, compressed whole
    plain = client.get(url)  # kept, not compressed for a client that does not ask

    def refuse(*args, **kwargs):
        raise AssertionError("a kept page is compressed from its parts")

    monkeypatch.setattr(compression, "compress_string", refuse)
    kept = client.get(url, headers=GZIP)
    assert first["Content-Encoding"] == kept["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    page = gzip.decompress(kept.content).decode()
    assert same_page(page) == same_page(gzip.decompress(first.content).decode())
    assert same_page(page) == same_page(plain.content.decode())
    nonce = re.search(r"'nonce-([^']+)'", kept["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page and "nonce=" in page
    assert int(kept["Content-Length"]) == len(kept.content)
