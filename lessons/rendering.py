"""The project's one Markdown pipeline: Markdown to HTML, then an allowlist sanitiser.

Every Markdown field (lesson bodies and sources, course descriptions, question prompts and
explanations, matrix texts) goes through ``render_markdown`` when it is saved; no request
renders Markdown. The sanitiser is nh3 (Rust's ammonia): bleach, named in the first brief,
was ended by its maintainers in June 2026 with no further security releases.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
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
    # Headings keep the ids that the table-of-contents extension gives them.
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Only classes our own pipeline emits: the table of contents and code-language hints.
ALLOWED_CLASSES = {
    "div": {"toc"},
    "code": {f"language-{lang}" for lang in ("python", "text", "json", "toml", "yaml", "bash")},
    "span": {"toctitle"},
}

# `[[widget:slug]]` alone on a line: kept as an inert paragraph, swapped for the widget per
# request by lessons.embeds.
EMBED_LINE = re.compile(r"^\[\[(?P<kind>[a-z][a-z0-9_-]*):(?P<slug>[a-z0-9][a-z0-9_-]*)\]\]$")

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "toc", "sane_lists"]
MARKDOWN_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}


def render_markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML that is safe to insert into a page unescaped."""
    html = markdown.markdown(
        text or "", extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIGS
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Safe because nh3 has just removed every tag, attribute and URL scheme outside the
    # allowlists above; this is the project's only mark_safe.
    return mark_safe(cleaned)


def find_embeds(text: str) -> list[tuple[str, str]]:
    """Return the (kind, slug) pairs of every embed line in a Markdown text, in order."""
    found = []
    for line in (text or "").splitlines():
        match = EMBED_LINE.match(line.strip())
        if match:
            found.append((match["kind"], match["slug"]))
    return found
