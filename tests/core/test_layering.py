"""The base layer depends on nothing of ours: no imports, string model references or tag loads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("accounts", "courses", "lessons", "matrix", "quizzes", "progress")
UPWARD = re.compile(
    rf"^\s*(?:from|import)\s+(?:{'|'.join(OUR_APPS)})\b"  # imports
    rf"|[\"'](?:{'|'.join(OUR_APPS)})\.[A-Z]\w*[\"']",  # "lessons.Lesson" model references
    re.MULTILINE,
)


def test_core_imports_and_names_no_app_of_ours():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group().strip()}"
        for path in (ROOT / "core").rglob("*.py")
        for match in UPWARD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_core_has_no_templates_that_load_an_apps_tag_library():
    assert not list((ROOT / "core").rglob("*.html"))
