"""Hypothesis throws generated searches at /search/: never a 500, and a page that says why.

Queries mix words of the content with each engine's syntax (FTS5's ``NEAR``, ``*``, ``^``,
column filters, PostgreSQL's tsquery ``& | ! <-> :*``), quotes, unicode, control characters and
lengths around the limit and far beyond it, repeated ``q`` keys and unrelated parameters. Each
answer is 200 (results, no results, or a message beside the form) or 400 (over-long, or a NUL
byte, which config.security refuses for every URL) with a page that explains itself. Run on
PostgreSQL too (DATABASE_URL), whose engine parses the query differently from SQLite's.
"""

import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import index
from search.query import MAX_LENGTH
from tests.factories import make_course, make_lesson, make_quiz

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
URL = reverse("search:results")

SYNTAX = [
    '"', '""', "'", "*", "^", ":", "(", ")", "-", "+", "~", "|", "&", "!", "<->", ":*", "\\",
    "AND", "OR", "NOT", "NEAR", "NEAR(", "NEAR/2", "title:", "{title body}:", "body :",
    "%", "_", "\x00", "\x1f", "\u202e", "\ufeff", "\U0001f600", "e\u0301", "\ue000", "\ue001",
    "\ue002", "ß", "İ", "中文", "<mark>", "</mark>", "<script>", "&amp;", "&lt;",
]  # fmt: skip
WORDS = ["fine-tuning", "format", "matrix", "audit", "regulatory", "the", "of", "imaging", "x"]
piece = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=12))
query = st.one_of(
    st.lists(piece, max_size=25).map(" ".join),
    st.lists(piece, max_size=25).map("".join),
    st.text(max_size=MAX_LENGTH + 5),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "\u00e9", "\u4e2d", '"', "-"]),
              st.sampled_from([MAX_LENGTH - 1, MAX_LENGTH, MAX_LENGTH + 1, 5_000])),
)  # fmt: skip


@pytest.fixture
def content():
    course = make_course(slug="docs")
    make_lesson(course=course, slug="fmt", title="Format & audit",
                body="## Regulatory audit\n\nFine-tuning pays when the format is fixed: `<b>`.")  # fmt: skip
    make_quiz(course=course, slug="check", questions=2)
    index.rebuild()


def _says_why(page: str) -> bool:
    return (
        'role="alert"' in page or "result" in page or "That request could not be understood" in page
    )


@FUZZ
@given(
    q=query,
    repeated=st.booleans(),
    other=st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
def test_any_search_is_answered_never_a_500(client, content, q, repeated, other):
    extras = [(k, v) for k, v in other.items() if k != "q"]
    params = [*extras, ("q", q[::-1]), ("q", q)] if repeated else [("q", q), *extras]
    response = client.get(f"{URL}?{urlencode(params)}")  # the last q counts
    assert response.status_code in (200, 400), (q, response.status_code)
    page = response.content.decode()
    if q.strip():
        assert _says_why(page), (q, page[-800:])
    assert "<script>" not in page.split("<main", 1)[-1]
