"""The project's one Markdown pipeline: Markdown to HTML, then an allowlist sanitiser.

Every Markdown field (lesson bodies and sources, course descriptions, question prompts and
explanations, matrix texts) goes through ``render_markdown`` when it is saved; no request
renders Markdown. The sanitiser is nh3 (Rust's ammonia): bleach, named in the first brief,
was ended by its maintainers in June 2026 with no further security releases.

Stored HTML is shown through ``sanitised_html`` (or the ``sanitised`` template filter), which
runs the same sanitiser again: it costs a fraction of a millisecond, is idempotent on our own
output, and means a value written to the database by any other route still cannot inject
markup. ``expand_placeholders`` swaps embed lines for widgets at request time.

Heading ids are namespaced with ``HEADING_ID_PREFIX`` (and same-page links rewritten to
match), so an author's heading can never take an id the page itself uses, such as ``main``.
"""

import re
from collections.abc import Callable
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    # Headings keep the ids that the table-of-contents extension gives them (prefixed).
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Only classes our own pipeline emits: the table of contents and code-language hints.
CODE_LANGUAGES = ("python", "text", "json", "toml", "yaml", "bash", "sql", "markdown", "html")
ALLOWED_CLASSES = {
    "div": {"toc"},
    "code": {f"language-{lang}" for lang in CODE_LANGUAGES},
    "span": {"toctitle"},
}
# Tags removed together with everything inside them (not just the tag itself).
CLEAN_CONTENT_TAGS = {"script", "style", "template", "noscript", "xmp", "iframe", "noembed"}
LINK_REL = "noopener noreferrer"
HEADING_ID_PREFIX = "md-"

# `[[widget:slug]]` alone on a line: kept as an inert paragraph, swapped for the widget per
# request by core.embeds.
EMBED_LINE = re.compile(r"^\[\[(?P<kind>[a-z][a-z0-9_-]*):(?P<slug>[a-z0-9][a-z0-9_-]*)\]\]$")
# The same line after Markdown and sanitising: a paragraph holding nothing else.
EMBED_PLACEHOLDER = re.compile(
    r"<p>\[\[(?P<kind>[a-z][a-z0-9_-]*):(?P<slug>[a-z0-9][a-z0-9_-]*)\]\]</p>"
)


class _DemoteTopHeadings(Treeprocessor):
    """Turn ``# Heading`` into ``<h2>``: the page's own title is its only ``<h1>``."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _DemoteTopHeadingsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # Above "toc" (5) so the ids and the table of contents see the demoted headings.
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_top_headings", 25)


MARKDOWN_EXTENSIONS = [
    "tables",
    "fenced_code",
    "toc",
    "sane_lists",
    _DemoteTopHeadingsExtension(),
]
MARKDOWN_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}


def _namespace_fragment(url: str) -> str:
    """Point same-page links at the prefixed heading ids; leave other relative URLs alone."""
    if url.startswith("#") and not url.startswith("#" + HEADING_ID_PREFIX):
        return "#" + HEADING_ID_PREFIX + url[1:]
    return url


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    url_relative=_namespace_fragment,
    allowed_classes=ALLOWED_CLASSES,
    link_rel=LINK_REL,
    strip_comments=True,
    id_prefix=HEADING_ID_PREFIX,
)


def _trusted(html: str) -> SafeString:
    # The project's only mark_safe. Its callers pass text that nh3 has just cleaned with the
    # allowlists above (every other tag, attribute, class and URL scheme removed), joined at
    # most with replacements that went through conditional_escape, or safe text in which
    # ``replace_marks`` swapped random placeholders for escaped values.
    return mark_safe(html)  # noqa: S308


def sanitised_html(html: str) -> SafeString:
    """Sanitise HTML with the allowlists above and mark the result safe for templates."""
    return _trusted(_cleaner.clean(html or ""))


def replace_marks(html: SafeString, values: dict[str, str]) -> SafeString:
    """Safe ``html`` with each placeholder in ``values`` replaced by its value, escaped.

    For a kept fragment of our own templates' output (``core.shared``): the placeholders are
    random strings that stood for per-request values (a CSRF token, a CSP nonce) when it
    was rendered."""
    if not isinstance(html, SafeString):
        raise TypeError("replace_marks needs safe HTML (a template's output).")
    text = str(html)
    for mark, value in values.items():
        text = text.replace(mark, str(conditional_escape(value)))
    return _trusted(text)


def render_markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML that is safe to insert into a page unescaped."""
    html = markdown.markdown(
        text or "", extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIGS
    )
    return sanitised_html(html)


def expand_placeholders(
    html: str,
    replace: Callable[[str, str, int], str],
    *,
    prepare: Callable[[list[tuple[str, str]]], None] | None = None,
) -> SafeString:
    """Sanitise stored HTML and swap each embed placeholder for ``replace(kind, slug, index)``.

    ``index`` counts placeholders of the same kind from 0, so the first matrix on a page is
    widget 0 (its plain ``?base=`` parameters) however many checks come before it. The
    replacement is escaped unless it is already
    marked safe (a template's output), so a widget can only add markup from a template.
    ``prepare``, if given, is called once with every (kind, slug) pair, in order, before the
    first replacement (so a caller can load what all of them need at once).
    """
    cleaned = str(sanitised_html(html))
    matches = list(EMBED_PLACEHOLDER.finditer(cleaned))
    if prepare is not None:
        prepare([(match["kind"], match["slug"]) for match in matches])
    pieces = []
    position = 0
    seen: dict[str, int] = {}
    for match in matches:
        index = seen.get(match["kind"], 0)
        seen[match["kind"]] = index + 1
        pieces.append(cleaned[position : match.start()])
        pieces.append(str(conditional_escape(replace(match["kind"], match["slug"], index))))
        position = match.end()
    pieces.append(cleaned[position:])
    return _trusted("".join(pieces))


def find_embeds(text: str) -> list[tuple[str, str]]:
    """Return the (kind, slug) pairs of every embed line in a Markdown text, in order."""
    found = []
    for line in (text or "").splitlines():
        match = EMBED_LINE.match(line.strip())
        if match:
            found.append((match["kind"], match["slug"]))
    return found


class _OutlineParser(HTMLParser):
    def __init__(self, levels):
        super().__init__(convert_charrefs=True)
        self.levels = levels
        self.headings = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag in self.levels and self._current is None:
            self._current = {"level": int(tag[1]), "id": dict(attrs).get("id") or "", "text": ""}

    def handle_endtag(self, tag):
        if self._current is not None and tag == f"h{self._current['level']}":
            self._current["text"] = " ".join(self._current["text"].split())
            if self._current["id"] and self._current["text"]:
                self.headings.append(self._current)
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data


def outline(html: str, levels: tuple[str, ...] = ("h2", "h3")) -> list[dict]:
    """The headings of rendered HTML as ``[{"level", "id", "text"}]``, for a table of contents."""
    parser = _OutlineParser(levels)
    parser.feed(html or "")
    parser.close()
    return parser.headings
