"""The matrix fixtures, for the page cache tests of pages that embed it."""

from tests.matrix.conftest import matrix, tracks  # noqa: F401
