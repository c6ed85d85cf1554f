"""Finding elements in a page by tag and attributes, whatever their order or the whitespace.

``elements(html, "option", value="two", selected=True)`` lists the matching elements: an
attribute given as ``True`` must be present, a string must equal the value (``class_`` is
``class`` and matches one of its words); each element carries its ``attrs`` and its ``text``
(all the text inside it, whitespace collapsed). For a whole element with its content, Django's
``assertInHTML`` (``pytest_django.asserts``) compares parsed HTML instead.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parts: list[str] = field(default_factory=list, repr=False)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.found.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.found.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.parts.append(data)


def _matches(element: Element, wanted: dict) -> bool:
    for name, value in wanted.items():
        name = name.rstrip("_").replace("_", "-") if name != "class_" else "class"
        if name not in element.attrs:
            return False
        have = element.attrs[name]
        if value is True:
            continue
        if name == "class":
            if not set(str(value).split()) <= set((have or "").split()):
                return False
        elif have != value:
            return False
    return True


def elements(html: str | bytes, tag: str, **attrs) -> list[Element]:
    """The ``tag`` elements of ``html`` that have ``attrs``, in document order."""
    if isinstance(html, bytes):
        html = html.decode()
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return [e for e in collector.found if e.tag == tag and _matches(e, attrs)]
