"""Lesson diagrams: Markdown images of our own static SVGs come through the sanitiser intact.

The curriculum references figures as ``![alt text](/static/diagrams/<name>.svg)``. The
sanitiser already allows ``<img>`` with ``src`` and ``alt`` and relative URLs, so no change to
core/rendering.py was needed; these tests pin that, and that nothing else rides along.
"""

import re
from pathlib import Path

from core.rendering import render_markdown

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / "static" / "diagrams"


def test_a_static_diagram_keeps_its_src_and_alt():
    html = str(render_markdown("![A flow of four steps](/static/diagrams/matrix-logic.svg)"))
    assert '<img alt="A flow of four steps" src="/static/diagrams/matrix-logic.svg">' in html


def test_a_diagram_cannot_carry_handlers_or_a_script_url():
    html = str(
        render_markdown(
            '<img src="/static/diagrams/x.svg" alt="x" onerror="alert(1)" style="a">\n\n'
            "![y](javascript:alert(1))"
        )
    )
    assert "onerror" not in html and "style" not in html
    assert "javascript:" not in html


def test_shipped_diagrams_are_self_contained_and_labelled():
    svgs = sorted(DIAGRAMS.glob("*.svg"))
    assert svgs
    for path in svgs:
        text = path.read_text(encoding="utf-8")
        assert re.search(r"<title[ >]", text) and re.search(r"<desc[ >]", text), path.name
        assert 'role="img"' in text, path.name
        lowered = text.lower()
        assert "<script" not in lowered and "href" not in lowered, path.name
        assert "<foreignobject" not in lowered and "@import" not in lowered, path.name
        assert not re.search(r"\son[a-z]+\s*=", lowered), path.name
        sizes = [float(size) for size in re.findall(r"font-size:(\d+(?:\.\d+)?)px", text)]
        assert sizes and min(sizes) >= 18, f"{path.name}: text smaller than 18px"
