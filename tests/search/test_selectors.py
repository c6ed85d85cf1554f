"""search/selectors.py and search/engines.py: the same answers on SQLite (FTS5) and PostgreSQL.

The suite runs on both databases (CI runs it again with DATABASE_URL set), so each test here
checks the engine of the database in use against the same expectations.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from lessons.models import Lesson
from search.query import parse
from search.selectors import Part, marked, preview_kinds, search
from tests.factories import make_course, make_lesson, make_matrix, make_quiz

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


@pytest.fixture
def library():
    course = make_course(slug="docs", title="Clinical documentation")
    make_lesson(course=course, slug="formats", title="Structured formats", order=1,
                body="Intro.\n\n## Code sets\n\nA payer's template defines the output format. "
                     "Regulatory audit needs traceability.")  # fmt: skip
    make_lesson(course=course, slug="imaging", title="Perception", order=2,
                body="Radiology models read labelled images; a language model reasons.")  # fmt: skip
    make_lesson(course=course, slug="draft", title="Unfinished", order=3,
                body="Secret draft about templates.", status=Lesson.Status.DRAFT)  # fmt: skip
    quiz = make_quiz(course=course, slug="check", title="Documentation check", questions=1)
    quiz.questions.update(prompt="Which template fits?", prompt_html="<p>Which template fits?</p>")
    make_matrix(rows=("Regulatory audit", "Output format"), columns=("Weak base", "Strong base"))
    return course


def titles(results):
    return [
        "".join(p.text for p in r.title)
        + ("" if not r.heading else " > " + "".join(p.text for p in r.heading))
        for g in results.groups
        for r in g.results
    ]


def test_a_word_in_a_lesson_body_finds_its_section(library):
    results = search(query=parse("traceability"), user=ANON)
    assert titles(results) == ["Structured formats > Code sets"]
    assert results.groups[0].results[0].url == "/courses/docs/formats/#md-code-sets"


def test_words_are_stemmed(library):
    assert "Structured formats > Code sets" in titles(search(query=parse("templates"), user=ANON))


def test_results_are_grouped_by_kind(library):
    results = search(query=parse("template"), user=ANON)
    assert sorted(g.kind for g in results.groups) == ["lesson", "quiz"]  # each kind once


def test_a_quiz_question_links_to_its_quiz(library):
    results = search(query=parse("fits"), user=ANON)
    [group] = results.groups
    assert group.label == "Quizzes" and group.results[0].url == "/quizzes/check/"


def test_a_matrix_condition_is_found_by_its_label(library):
    results = search(query=parse('"output format"'), user=ANON)
    kinds = {g.kind: g for g in results.groups}
    assert "matrix" in kinds
    assert kinds["matrix"].results[0].url == "/matrix/base-strength/"


def test_a_phrase_needs_its_words_together(library):
    assert titles(search(query=parse('"payer template"'), user=ANON)) == []
    assert titles(search(query=parse('"payer\'s template"'), user=ANON)) == [
        "Structured formats > Code sets"
    ]


def test_or_accepts_either_and_minus_leaves_out(library):
    either = titles(search(query=parse("radiology OR traceability"), user=ANON))
    assert sorted(either) == ["Perception", "Structured formats > Code sets"]
    assert titles(search(query=parse("radiology OR traceability -payer"), user=ANON)) == [
        "Perception"
    ]


def test_every_word_is_required(library):
    assert titles(search(query=parse("radiology traceability"), user=ANON)) == []


def test_visitors_and_learners_never_find_drafts(library, learner):
    for user in (ANON, learner):
        assert titles(search(query=parse("secret"), user=user)) == []


def test_instructors_find_drafts_marked_as_drafts(library, instructor):
    results = search(query=parse("secret"), user=instructor)
    [result] = [r for g in results.groups for r in g.results]
    assert result.is_draft
    assert preview_kinds(instructor) == {"lesson", "quiz", "matrix"}


def test_staff_without_the_view_permission_see_what_learners_see(library, make_user):
    staff = make_user("clerk", is_staff=True)
    assert preview_kinds(staff) == frozenset()
    assert titles(search(query=parse("secret"), user=staff)) == []


def test_matches_are_marked_in_title_and_passage(library):
    [result] = [
        r for g in search(query=parse("perception radiology"), user=ANON).groups for r in g.results
    ]
    assert Part("Perception", match=True) in result.title
    assert Part("Radiology", match=True) in result.passage


def test_the_total_counts_every_match_beyond_the_limit(library):
    course = make_course()
    for n in range(5):
        make_lesson(course=course, body=f"Zebra number {n}.")
    results = search(query=parse("zebra"), user=ANON, limit=2)
    assert results.total == 5 and results.shown == 2


def test_marked_splits_at_the_engines_marks():
    assert marked("a \ue000b\ue001 c \ue000d") == [
        Part("a "),
        Part("b", True),
        Part(" c "),
        Part("d", True),
    ]
    assert marked("stray\ue001 end") == [Part("stray end")]
    assert marked("") == []


@pytest.mark.postgres
def test_postgresql_finds_matches_through_the_gin_index(library):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    from search import engines

    sql, params = engines._postgresql(parse("traceability"), preview_kinds=[], limit=10)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_vector" in plan


def test_sqlite_searches_its_fts5_table(library):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite only")
    from search import index

    index.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH 'traceability'")
        assert cursor.fetchone()[0] == 1
