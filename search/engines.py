"""The two full-text engines behind ``search.selectors``: one SQL query each, the same answer.

Both take a parsed ``search.query.Query`` and return ``Hit`` rows, best first, at most
``limit``, with the total number of matches. Each builds its engine's query language from the
parsed words with its own quoting, so nothing a visitor types is read as engine syntax:

- PostgreSQL: each phrase is ``phraseto_tsquery('english', %s)`` (a parameter; one word is a
  phrase of one), joined with ``||`` (OR), ``&&`` (AND) and ``!!`` (NOT); ranked with
  ``ts_rank`` over the generated, weighted ``search_vector`` (its GIN index finds the rows);
  passages from ``ts_headline``.
- SQLite: the FTS5 table ``search_fts`` with the ``porter unicode61`` tokeniser; each phrase is
  a double-quoted FTS5 string (the words are ``\\w+`` only, so they hold no quote), joined with
  ``OR``, ``AND`` and ``NOT``; passed as a parameter to ``MATCH``; ranked with ``bm25``
  weighted like PostgreSQL's (title, heading, body); passages from ``snippet``/``highlight``.

Both mark matched words with the private-use characters of ``search.index`` (which removes
them from every indexed text), so the page can escape the text and then mark the matches.
"""

from dataclasses import dataclass

from django.db import connection

from .index import MARK_END, MARK_START, STAND_INS
from .query import Phrase, Query

# Words of the passage around the best match.
PASSAGE_WORDS = 32
ELLIPSIS = "…"


@dataclass(frozen=True)
class Hit:
    """One matching document, its title and heading and passage with the matches marked."""

    id: int
    kind: str
    title: str
    heading: str
    passage: str
    url: str
    course_title: str
    is_public: bool
    total: int  # the number of matching documents, the same on every hit


def run(query: Query, *, preview_kinds: frozenset[str], limit: int) -> list[Hit]:
    """The best ``limit`` documents matching ``query`` that are public or of ``preview_kinds``."""
    engine = _postgresql if connection.vendor == "postgresql" else _sqlite
    sql, params = engine(query, preview_kinds=sorted(preview_kinds), limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Hit(*row[:2], *map(_restored, row[2:5]), *row[5:]) for row in rows]


def _restored(text: str) -> str:
    for char, stand_in in STAND_INS.items():
        text = text.replace(stand_in, char)
    return text


def _visible(preview_kinds: list[str]) -> tuple[str, list]:
    if not preview_kinds:
        return "d.is_public", []
    return f"(d.is_public OR d.kind IN ({', '.join(['%s'] * len(preview_kinds))}))", preview_kinds


# -- PostgreSQL --------------------------------------------------------------------------------


def _tsquery(query: Query) -> tuple[str, list]:
    params: list[str] = []

    def any_of(phrases: tuple[Phrase, ...]) -> str:
        params.extend(" ".join(p.words) for p in phrases)
        return "(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(phrases)) + ")"

    sql = " && ".join(any_of(clause) for clause in query.clauses)
    if query.excluded:
        sql += f" && !!{any_of(query.excluded)}"
    return sql, params


def _postgresql(query: Query, *, preview_kinds: list[str], limit: int) -> tuple[str, list]:
    tsquery, query_params = _tsquery(query)
    visible, visible_params = _visible(preview_kinds)
    marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
    whole = f"HighlightAll=true, {marks}"
    passage = (
        f"MaxWords={PASSAGE_WORDS}, MinWords={PASSAGE_WORDS // 2}, MaxFragments=2, "
        f'FragmentDelimiter=" {ELLIPSIS} ", {marks}'
    )
    # The tsquery and the visibility are parameters; the rest is fixed text.
    sql = f"""
        WITH q AS (SELECT {tsquery} AS query),
        hits AS (
            SELECT d.id, d.kind, d.title, d.heading, d.body, d.url, d.course_title, d.is_public,
                   ts_rank(d.search_vector, q.query) AS rank, COUNT(*) OVER () AS total
            FROM search_searchdocument d, q
            WHERE d.search_vector @@ q.query AND {visible}
            ORDER BY rank DESC, d.id
            LIMIT %s
        )
        SELECT hits.id, hits.kind,
               ts_headline('english', {_stand_ins("hits.title")}, q.query, %s),
               ts_headline('english', {_stand_ins("hits.heading")}, q.query, %s),
               ts_headline('english', {_stand_ins("hits.body")}, q.query, %s),
               hits.url, hits.course_title, hits.is_public, hits.total
        FROM hits, q
        ORDER BY hits.rank DESC, hits.id
    """  # noqa: S608
    stand_ins = [*STAND_INS.items()]
    params = [*query_params, *visible_params, limit]
    for options in (whole, whole, passage):
        params += [value for pair in stand_ins for value in pair] + [options]
    return sql, params


def _stand_ins(column: str) -> str:
    """``column`` with each character of ``STAND_INS`` replaced by its stand-in (parameters)."""
    for _ in STAND_INS:
        column = f"replace({column}, %s, %s)"
    return column


# -- SQLite --------------------------------------------------------------------------------


def fts5_match(query: Query) -> str:
    """The FTS5 query for ``query``: quoted phrases joined by FTS5's operators."""

    def any_of(phrases: tuple[Phrase, ...]) -> str:
        return "(" + " OR ".join(f'"{" ".join(p.words)}"' for p in phrases) + ")"

    match = " AND ".join(any_of(clause) for clause in query.clauses)
    for phrase in query.excluded:
        match = f"({match}) NOT {any_of((phrase,))}"
    return match


def _sqlite(query: Query, *, preview_kinds: list[str], limit: int) -> tuple[str, list]:
    visible, visible_params = _visible(preview_kinds)
    match = fts5_match(query)
    # FTS5's auxiliary functions cannot share a query with a window function, so the total is
    # counted from the ranked matches, and passages are made for the shown ones only.
    # bm25 is lower for better matches; the weights are as PostgreSQL's A, B, C.
    sql = f"""
        WITH ranked AS (
            SELECT search_fts.rowid AS id, bm25(search_fts, 5.0, 2.0, 1.0) AS rank
            FROM search_fts WHERE search_fts MATCH %s
        ),
        seen AS (
            SELECT ranked.id, ranked.rank FROM ranked
            JOIN search_searchdocument d ON d.id = ranked.id WHERE {visible}
        ),
        top AS (SELECT id, rank FROM seen ORDER BY rank, id LIMIT %s)
        SELECT d.id, d.kind,
               highlight(search_fts, 0, %s, %s),
               highlight(search_fts, 1, %s, %s),
               snippet(search_fts, 2, %s, %s, %s, %s),
               d.url, d.course_title, d.is_public, (SELECT COUNT(*) FROM seen)
        FROM search_fts
        JOIN top ON top.id = search_fts.rowid
        JOIN search_searchdocument d ON d.id = search_fts.rowid
        WHERE search_fts MATCH %s
        ORDER BY top.rank, d.id
    """  # noqa: S608
    marks = [MARK_START, MARK_END]
    passage = [*marks, *marks, *marks, ELLIPSIS, PASSAGE_WORDS]
    return sql, [match, *visible_params, limit, *passage, match]
