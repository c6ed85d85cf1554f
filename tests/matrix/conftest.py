"""Fixtures for the matrix tests: the shipped base-strength matrix, loaded from its file."""

from pathlib import Path

import pytest

from core.content_files import LoadStats
from courses.models import Course
from matrix.content import load_matrix
from matrix.content_reading import read_matrix_file

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content" / "matrices" / "base-strength.toml"
TRACKS = {
    "clinical-documentation-ai": "Clinical documentation AI",
    "medical-imaging-ai": "Medical imaging AI",
    "ai-diagnostics": "AI diagnostics",
}


@pytest.fixture
def tracks(db):
    return [
        Course.objects.create(slug=slug, title=title, summary=title, is_published=True, order=n)
        for n, (slug, title) in enumerate(TRACKS.items(), start=1)
    ]


@pytest.fixture
def matrix(tracks):
    """The base-strength matrix as shipped in content/matrices/."""
    return load_matrix(read_matrix_file(SHIPPED), path=SHIPPED, stats=LoadStats())
