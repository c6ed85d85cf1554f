"""``lessons.models``: the lesson's table of contents nests sub-headings under their section."""

import re

import pytest

from lessons.models import nest_headings
from tests.factories import make_course, make_lesson


def h(level, name):
    return {"level": level, "id": name, "text": name.title()}


def test_sub_headings_nest_under_their_section():
    tree = nest_headings([h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(2, "c"), h(3, "c1")])
    assert [entry["id"] for entry in tree] == ["a", "b", "c"]
    assert [child["id"] for child in tree[0]["children"]] == ["a1", "a2"]
    assert tree[1]["children"] == []
    assert [child["id"] for child in tree[2]["children"]] == ["c1"]


def test_a_sub_heading_before_any_section_stands_at_the_top():
    tree = nest_headings([h(3, "intro"), h(2, "a"), h(3, "a1")])
    assert [entry["id"] for entry in tree] == ["intro", "a"]
    assert [child["id"] for child in tree[1]["children"]] == ["a1"]


def test_nesting_leaves_the_stored_headings_alone():
    headings = [h(2, "a"), h(3, "a1")]
    nest_headings(headings)
    assert headings == [h(2, "a"), h(3, "a1")]


@pytest.mark.django_db
def test_the_pages_numbered_list_counts_only_sections(client):
    # Four sections with four sub-headings between them: the fifth section is number 5, not 9.
    body = "\n\n".join(
        f"## Section {n}\n\ntext\n\n### Part {n}.1\n\ntext" if n <= 4 else f"## Section {n}\n\ntext"
        for n in range(1, 6)
    )
    lesson = make_lesson(course=make_course(), body=body)
    html = client.get(lesson.get_absolute_url()).content.decode()
    toc = re.search(r'<nav class="lesson-toc".*?</nav>', html, re.S).group(0)
    top = re.search(r"<ol>(.*)</ol>", toc, re.S).group(1)
    # Top-level items of the numbered list: every <li> not inside the nested <ul>.
    outer = re.sub(r"<ul class=\"toc-sub\">.*?</ul>", "", top, flags=re.S)
    assert outer.count("<li>") == 5
    assert toc.count('<ul class="toc-sub">') == 4
    assert "Part 4.1" in toc
