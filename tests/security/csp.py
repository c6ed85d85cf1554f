"""The Content-Security-Policy that every page must carry, and a checker for HTML that breaks it.

``EXPECTED_POLICY`` is the issue's policy, directive by directive. ``parse_policy`` reads a
header into a dict; ``assert_strict_policy`` compares it with the expected one (the nonce, when
present, is the only extra source allowed in script-src and style-src). ``inline_code`` lists
what in a page the policy would block: inline scripts or styles without the page's nonce,
``style=`` attributes, ``on*=`` handlers and ``javascript:`` URLs.
"""

import re
from html.parser import HTMLParser

EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
NONCE_SOURCE = re.compile(r"^'nonce-([A-Za-z0-9+/_=-]+)'$")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


def parse_policy(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in header.split(";"):
        parts = directive.split()
        if parts:
            policy[parts[0]] = parts[1:]
    return policy


def policy_nonce(header: str) -> str | None:
    for source in parse_policy(header).get("script-src", []):
        if match := NONCE_SOURCE.match(source):
            return match[1]
    return None


def assert_strict_policy(header: str) -> None:
    policy = parse_policy(header)
    assert set(policy) == set(EXPECTED_POLICY), f"directives differ: {sorted(policy)}"
    for directive, expected in EXPECTED_POLICY.items():
        sources = set(policy[directive])
        if directive in ("script-src", "style-src"):
            sources = {s for s in sources if not NONCE_SOURCE.match(s)}
        assert sources == expected, f"{directive}: {policy[directive]}"
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"):
        assert forbidden not in header.split(), f"{forbidden} in {header}"


class _InlineCode(HTMLParser):
    def __init__(self, nonce):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems = []
        self._open = None  # (tag, allowed) of an open <script> or <style>

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag in ("script", "style"):
            nonced = self.nonce is not None and attributes.get("nonce") == self.nonce
            is_data = tag == "script" and (attributes.get("type") or "").lower() in DATA_SCRIPT_TYPES
            external = tag == "script" and "src" in attributes
            self._open = (tag, nonced or is_data or external)

    def handle_data(self, data):
        if self._open and not self._open[1] and data.strip():
            self.problems.append(f"inline <{self._open[0]}> without the nonce: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self._open = None


def inline_code(html: str, nonce: str | None) -> list[str]:
    """What in ``html`` the strict policy would block."""
    parser = _InlineCode(nonce)
    parser.feed(html)
    return parser.problems
