"""search/query.py: what a visitor types, read as words, phrases, alternatives and exclusions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import (
    MAX_LENGTH,
    MAX_TERMS,
    Phrase,
    QueryError,
    QueryTooLong,
    parse,
)


def words(query):
    return [[p.words for p in clause] for clause in query.clauses]


def test_every_word_is_required_and_lower_cased():
    assert words(parse("Format Compliance")) == [[("format",)], [("compliance",)]]


def test_quoted_words_are_one_phrase():
    assert words(parse('"regulatory audit" matrix')) == [[("regulatory", "audit")], [("matrix",)]]


def test_an_unclosed_quote_runs_to_the_end():
    assert words(parse('"regulatory audit')) == [[("regulatory", "audit")]]


def test_or_in_capitals_joins_two_terms():
    assert words(parse("imaging OR radiology format")) == [
        [("imaging",), ("radiology",)],
        [("format",)],
    ]


def test_lower_case_or_is_a_common_word():
    assert words(parse("imaging or radiology")) == [[("imaging",)], [("radiology",)]]


def test_minus_and_not_leave_words_out():
    query = parse('matrix -imaging NOT "regulatory audit"')
    assert words(query) == [[("matrix",)]]
    assert query.excluded == (Phrase(("imaging",)), Phrase(("regulatory", "audit")))


def test_punctuation_inside_a_word_makes_a_phrase():
    assert words(parse("ICD-10 fine-tuning")) == [[("icd", "10")], [("fine", "tuning")]]


@pytest.mark.parametrize(
    "text",
    ["a AND b", "NEAR(a b)", "a* ^b c:d (e) {f} [g] +h ~i", "col:format", "title: x"],
)
def test_engine_syntax_is_only_text(text):
    query = parse(text)
    for clause in query.clauses:
        for phrase in clause:
            assert all(word.isalnum() or "_" in word for word in phrase.words)


def test_common_words_are_dropped_and_reported():
    query = parse("the matrix of doom")
    assert words(query) == [[("matrix",)], [("doom",)]]
    assert query.dropped == ("the", "of")


def test_common_words_inside_a_phrase_stay():
    assert words(parse('"state of the art"')) == [[("state", "of", "the", "art")]]


def test_only_common_words_say_so():
    with pytest.raises(QueryError, match="too common"):
        parse("the of and")


def test_only_exclusions_ask_for_a_word():
    with pytest.raises(QueryError, match="Add a word"):
        parse("-imaging")


@pytest.mark.parametrize("text", ["***", '""', "( ) : ^", "OR", "NOT", "- -"])
def test_no_words_say_so(text):
    with pytest.raises(QueryError, match="no words"):
        parse(text)


def test_over_long_input_is_refused_with_a_400():
    with pytest.raises(QueryTooLong) as refusal:
        parse("x" * 5000)
    assert refusal.value.status == 400
    assert "5,000 characters" in str(refusal.value) and str(MAX_LENGTH) in str(refusal.value)


def test_the_limit_itself_is_accepted():
    text = ("matrix " * MAX_LENGTH)[:MAX_LENGTH]
    assert len(text) == MAX_LENGTH and parse(text).clauses


def test_terms_past_the_limit_are_left_out_and_reported():
    query = parse(" ".join(f"word{n}" for n in range(MAX_TERMS + 5)))
    assert len(query.clauses) == MAX_TERMS and query.truncated


def test_unicode_words_are_words():
    assert words(parse("Café naïve 中文")) == [[("café",)], [("naïve",)], [("中文",)]]


def test_str_gives_the_query_as_searched():
    assert str(parse('the "Regulatory audit" x OR y -z')) == '"regulatory audit" x OR y -z'


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_LENGTH + 10))
def test_any_text_parses_or_gives_a_message(text):
    try:
        query = parse(text)
    except QueryError as problem:
        assert str(problem) or not text.strip()
        return
    for phrase in [p for clause in query.clauses for p in clause] + list(query.excluded):
        assert phrase.words and all(w and '"' not in w for w in phrase.words)
