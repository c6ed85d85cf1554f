"""The one Markdown pipeline: what it keeps, what it removes, and that nothing hostile survives."""

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rendering import (
    HEADING_ID_PREFIX,
    expand_placeholders,
    find_embeds,
    outline,
    render_markdown,
    sanitised_html,
)

from .hostile_inputs import EVENT_HANDLERS, HOSTILE_INPUTS
from .html_safety import unsafe_parts

ROOT = Path(__file__).resolve().parents[2]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    parser = _Elements()
    parser.feed(str(html))
    return parser.elements


def test_the_corpus_has_at_least_150_hostile_inputs():
    assert len(HOSTILE_INPUTS) >= 150
    assert len(set(HOSTILE_INPUTS)) == len(HOSTILE_INPUTS)


def test_the_corpus_tries_every_event_attribute():
    joined = "\n".join(HOSTILE_INPUTS).lower()
    assert all(f"{name}=" in joined for name in EVENT_HANDLERS)


@pytest.mark.parametrize("text", HOSTILE_INPUTS, ids=range(len(HOSTILE_INPUTS)))
def test_hostile_input_leaves_nothing_unsafe(text):
    html = render_markdown(text)
    assert unsafe_parts(html) == []
    # And the stored value, sanitised again when it is shown, stays safe and unchanged.
    assert sanitised_html(html) == html


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="java&#x09;script:alert(1)" rel="noopener noreferrer">x</a>',
        '<a href=" JAVASCRIPT:alert(1)" rel="noopener noreferrer">x</a>',
        '<svg><a href="/ok">x</a></svg>',
        '<h2 id="main">x</h2>',
        '<a href="/ok">no rel</a>',
        '<p style="color:red">x</p>',
        '<div class="skip-link">x</div>',
    ],
)
def test_the_safety_check_itself_catches_unsafe_html(html):
    assert unsafe_parts(html) != []


def test_raw_markdown_output_of_the_corpus_would_fail_the_check():
    """Without the sanitiser most of the corpus is dangerous: the check is not vacuous."""
    flagged = [text for text in HOSTILE_INPUTS if unsafe_parts(markdown.markdown(text))]
    assert len(flagged) > 0.8 * len(HOSTILE_INPUTS)


FRAGMENTS = [
    "<", ">", "\"", "'", "=", "/", " ", "\n", "\t", "&", "#", ";", ":", "(", ")", "[", "]",
    "`", "*", "_", "!", "-", "|", "\u200b", "\x00", "script", "javascript", "vbscript",
    "data", "on", "onerror", "onclick", "href", "src", "img", "a", "svg", "math", "style",
    "iframe", "form", "formaction", "xlink:href", "&#106;", "&#x3A;", "&colon;", "&Tab;",
    "<!--", "-->", "<![CDATA[", "]]>", "```", "    ", "> ", "- ", "1. ", "[x](", "![y](",
    "<a href=", "<img src=", "<svg onload=", "alert(1)", "https://example.org", "mailto:x@y.z",
    "[[matrix:base]]", "id=main", "class=toc", "{: onclick=x}",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40))
def test_no_generated_input_yields_a_disallowed_scheme_element_or_attribute(parts):
    html = render_markdown("".join(parts))
    assert unsafe_parts(html) == []


def test_allowed_schemes_and_relative_urls_are_kept():
    html = render_markdown(
        "[a](https://example.org/a) [b](http://example.org/b) [c](mailto:x@example.org) "
        "[d](/courses/x/) [e](../up) [f](?q=1) ![g](/static/img/favicon.svg)"
    )
    hrefs = [attrs.get("href") or attrs.get("src") for tag, attrs in elements(html) if tag != "p"]
    assert hrefs == [
        "https://example.org/a",
        "http://example.org/b",
        "mailto:x@example.org",
        "/courses/x/",
        "../up",
        "?q=1",
        "/static/img/favicon.svg",
    ]


def test_links_get_noopener_noreferrer():
    html = render_markdown("[out](https://example.org) and <https://example.org/auto>")
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert len(links) == 2
    assert all(link["rel"] == "noopener noreferrer" for link in links)


def test_disallowed_schemes_lose_their_href_but_keep_the_text():
    html = render_markdown("[click me](javascript:alert(1))")
    assert elements(html) == [("p", {}), ("a", {"rel": "noopener noreferrer"})]
    assert "click me" in html


def test_tables_fenced_code_and_sane_lists_render():
    html = render_markdown(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```\n\n1. one\n2. two\n\n* three\n"
    )
    tags = [tag for tag, _ in elements(html)]
    assert {"table", "thead", "th", "td", "pre", "code", "ol", "ul"} <= set(tags)
    assert ("code", {"class": "language-python"}) in elements(html)


def test_attribute_syntax_from_attr_list_is_not_honoured():
    html = render_markdown("## Title {: onclick=alert(1) #main .skip-link}\n\nPara {: style=x}")
    assert unsafe_parts(html) == []
    assert all("onclick" not in attrs and "style" not in attrs for _, attrs in elements(html))


def test_markdown_inside_html_blocks_is_not_processed():
    html = render_markdown('<div markdown="1">*not emphasis*</div>')
    assert "<em>" not in html


def test_top_level_headings_become_h2_because_the_page_owns_its_h1():
    html = render_markdown("# Big\n\n## Section\n\n<h1>raw</h1>")
    tags = [tag for tag, _ in elements(html)]
    assert "h1" not in tags
    assert tags.count("h2") == 2


@pytest.mark.parametrize(
    "text",
    ["## main", '<h2 id="main">x</h2>', "## messages", '<h3 id="completion">x</h3>', "## Main"],
)
def test_heading_ids_cannot_collide_with_the_pages_own_ids(text):
    ids = [attrs["id"] for tag, attrs in elements(render_markdown(text)) if "id" in attrs]
    assert ids and all(value.startswith(HEADING_ID_PREFIX) for value in ids)
    assert "main" not in ids and "messages" not in ids and "completion" not in ids


def test_same_page_links_and_the_table_of_contents_point_at_the_prefixed_ids():
    html = render_markdown("[TOC]\n\n## Intro\n\n### Detail\n\nSee [intro](#intro).")
    ids = {attrs["id"] for _, attrs in elements(html) if "id" in attrs}
    fragments = {attrs["href"] for tag, attrs in elements(html) if tag == "a"}
    assert ids == {f"{HEADING_ID_PREFIX}intro", f"{HEADING_ID_PREFIX}detail"}
    assert fragments == {"#" + value for value in ids}


def test_embed_lines_survive_as_inert_placeholders():
    html = render_markdown("Before\n\n[[matrix:base-strength]]\n\nAfter")
    assert "<p>[[matrix:base-strength]]</p>" in html
    assert find_embeds("Before\n\n  [[matrix:base-strength]]  \n\n[[quiz:x]] inline") == [
        ("matrix", "base-strength")
    ]


def test_expand_placeholders_swaps_each_embed_with_its_index():
    html = render_markdown("[[demo:one]]\n\ntext\n\n[[demo:two]]")
    out = expand_placeholders(
        html, lambda kind, slug, index: format_html("<b>{}{}</b>", slug, index)
    )
    assert isinstance(out, SafeString)
    assert "<b>one0</b>" in out and "<b>two1</b>" in out
    assert "[[demo" not in out


def test_expand_placeholders_escapes_a_replacement_not_marked_safe():
    html = render_markdown("[[demo:one]]")
    out = expand_placeholders(html, lambda kind, slug, index: "<script>alert(1)</script>")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_expand_placeholders_sanitises_the_stored_html_again():
    out = expand_placeholders("<p>ok</p><script>alert(1)</script><img src=x onerror=y>", str)
    assert unsafe_parts(out) == []


def test_render_markdown_returns_safe_string_and_handles_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    assert isinstance(render_markdown("*x*"), SafeString)


def test_outline_lists_h2_and_h3_with_their_ids():
    html = render_markdown("## One\n\ntext\n\n### One point one\n\n#### Too deep\n\n## Two `code`")
    assert outline(html) == [
        {"level": 2, "id": f"{HEADING_ID_PREFIX}one", "text": "One"},
        {"level": 3, "id": f"{HEADING_ID_PREFIX}one-point-one", "text": "One point one"},
        {"level": 2, "id": f"{HEADING_ID_PREFIX}two-code", "text": "Two code"},
    ]


def test_rendering_holds_the_projects_only_mark_safe():
    calls = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "staticfiles"}:
            continue
        text = path.read_text(encoding="utf-8")
        calls += [str(relative)] * len(re.findall(r"\bmark_safe\(", text))
    assert calls == ["core/rendering.py"]


def test_our_templates_never_bypass_escaping():
    folders = (
        "templates/courses",
        "templates/lessons",
        "templates/admin/lessons",
        "lessons/templates",
    )
    for folder in folders:
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert "|safe" not in text and "autoescape off" not in text, path
