"""Check sanitised HTML by parsing it: what a browser could run, not what a string contains."""

import re
from html.parser import HTMLParser

from core.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    HEADING_ID_PREFIX,
)

# Elements that can run script, load active content, submit or restyle the page. Listed on
# their own (not derived from the allowlist) so a mistake in the allowlist is caught.
SCRIPT_CAPABLE = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "form", "input", "button", "select", "textarea", "keygen", "isindex", "link",
    "meta", "base", "template", "noscript", "xmp", "plaintext", "noembed", "portal", "video",
    "audio", "source", "track", "marquee", "title", "animate", "set", "use", "foreignobject",
    "image", "body", "html", "head",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset",
    "data", "codebase", "cite", "dynsrc", "lowsrc", "ping", "longdesc", "manifest", "icon",
}  # fmt: skip
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def url_scheme_problem(url: str) -> str | None:
    """Parse a URL the way the WHATWG URL standard does and refuse any scheme we do not allow."""
    normalised = url.strip(C0_OR_SPACE)
    normalised = re.sub(r"[\t\n\r]", "", normalised)
    match = SCHEME.match(normalised)
    if match and match[1].lower() not in ALLOWED_URL_SCHEMES:
        return f"URL with scheme {match[1]!r}: {url!r}"
    return None


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in SCRIPT_CAPABLE:
            self.problems.append(f"script-capable element <{tag}>")
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element outside the allowlist <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event attribute {name} on <{tag}>")
            elif name == "class":
                extra = set(value.split()) - ALLOWED_CLASSES.get(tag, set())
                if extra:
                    self.problems.append(f"class {sorted(extra)} on <{tag}>")
            elif name == "rel" and tag == "a":
                if value != "noopener noreferrer":
                    self.problems.append(f"rel={value!r} on <a>")
            elif name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "id" and not value.startswith(HEADING_ID_PREFIX):
                self.problems.append(f"id {value!r} outside the lesson namespace")
            if name in URL_ATTRIBUTES:
                problem = url_scheme_problem(value)
                if problem:
                    self.problems.append(problem)
        if tag == "a" and dict(attrs).get("href") and ("rel", "noopener noreferrer") not in attrs:
            self.problems.append("link without rel=noopener noreferrer")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.problems.append("comment left in output")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"unknown declaration {data!r}")


def unsafe_parts(html: str) -> list[str]:
    """Everything in ``html`` that breaks the sanitiser's promises; empty when it is safe."""
    checker = _Checker()
    checker.feed(str(html))
    checker.close()
    return checker.problems
