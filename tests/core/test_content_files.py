"""The content-file toolkit every loader shares: reading, checking, upserting and writing."""

import datetime
import tomllib

import pytest

from core.content_files import (
    ContentError,
    Key,
    LoadStats,
    check_model,
    checked_table,
    find_or_build,
    read_toml,
    toml_text,
    update_or_create,
    write_text,
)
from courses.models import Course

KEYS = {
    "title": Key(str),
    "order": Key(int, default=0),
    "tags": Key(list, default=[]),
    "reviewed_on": Key(datetime.date, default=None),
}


def test_checked_table_fills_defaults_in_key_order():
    values = checked_table("f.toml", {"order": 3, "title": "T"}, KEYS)
    assert list(values.items()) == [("title", "T"), ("order", 3), ("tags", []), ("reviewed_on", None)]


def test_a_list_default_is_never_shared_between_tables():
    first = checked_table("f.toml", {"title": "A"}, KEYS)
    first["tags"].append("changed")
    assert checked_table("f.toml", {"title": "B"}, KEYS)["tags"] == []


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"title": "T", "colour": "red"}, "unknown key(s) colour; expected title, order, tags, reviewed_on"),
        ({}, "'title' is missing"),
        ({"title": 1}, "'title' must be a string, not 1"),
        ({"title": "T", "order": True}, "'order' must be a whole number, not True"),
        ({"title": "T", "reviewed_on": datetime.datetime(2026, 1, 2, 3, 4)}, "'reviewed_on' must be a TOML date, not datetime.datetime(2026, 1, 2, 3, 4)"),
        ("text", "must be a table"),
    ],
)  # fmt: skip
def test_checked_table_names_the_file_and_the_problem(data, problem):
    with pytest.raises(ContentError) as caught:
        checked_table("f.toml", data, KEYS)
    assert str(caught.value.path) == "f.toml"
    assert caught.value.problem == problem


def test_checked_table_prefixes_the_place_inside_the_file():
    with pytest.raises(ContentError) as caught:
        checked_table("f.toml", {}, KEYS, where="question 2: ")
    assert caught.value.problem == "question 2: 'title' is missing"


def test_read_toml_refuses_broken_and_non_utf8_files(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "unclosed', encoding="utf-8")
    with pytest.raises(ContentError, match="is not valid TOML"):
        read_toml(broken)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('title = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(ContentError, match="is not UTF-8 text"):
        read_toml(latin)


@pytest.mark.django_db
def test_check_model_reports_the_fields_own_rules():
    with pytest.raises(ContentError) as caught:
        check_model("c.toml", Course(slug="c", title="x" * 201, summary="S"), where="course: ")
    assert caught.value.problem.startswith("course: title: Ensure this value has at most 200")


@pytest.mark.django_db
def test_update_or_create_saves_only_what_changed_and_counts_it():
    stats = LoadStats()
    values = {"title": "C", "summary": "S"}
    course = update_or_create(Course, {"slug": "c"}, values, kind="courses", stats=stats)
    stamp = course.updated_at
    update_or_create(Course, {"slug": "c"}, values, kind="courses", stats=stats)
    assert Course.objects.get(slug="c").updated_at == stamp, "unchanged rows are not saved"
    update_or_create(Course, {"slug": "c"}, {**values, "title": "D"}, kind="courses", stats=stats)
    assert Course.objects.get(slug="c").title == "D"
    assert stats.summary() == "courses: 1 created, 1 updated, 1 unchanged"
    assert stats.changed


@pytest.mark.django_db
def test_find_or_build_saves_nothing():
    course, outcome = find_or_build(Course, {"slug": "c"}, {"title": "C", "summary": "S"})
    assert outcome == "created" and course.pk is None
    assert not Course.objects.exists()


def test_an_empty_load_says_so():
    assert LoadStats().summary() == "nothing found"
    assert not LoadStats().changed


def test_toml_text_keeps_order_leaves_out_none_and_round_trips():
    values = {
        "title": "Say \"hi\"",
        "note": None,
        "body": "line one\r\nline two",
        "reasons": ["a", "b"],
        "on": datetime.date(2026, 1, 2),
        "done": False,
    }
    text = toml_text(values)
    assert text.splitlines()[0] == 'title = "Say \\"hi\\""'
    assert 'reasons = ["a", "b"]\n' in text
    assert "\r" not in text
    assert tomllib.loads(text) == {
        "title": 'Say "hi"',
        "body": "line one\nline two",
        "reasons": ["a", "b"],
        "on": datetime.date(2026, 1, 2),
        "done": False,
    }


def test_write_text_creates_the_folder_and_writes_unix_newlines(tmp_path):
    path = tmp_path / "a" / "b.toml"
    write_text(path, "one\ntwo\n")
    assert path.read_bytes() == b"one\ntwo\n"
