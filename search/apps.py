"""The search app: one index of lessons, quiz questions and the decision matrix, searched with
PostgreSQL's full-text search in production and SQLite's FTS5 in development."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import content

        from . import index

        # After every other handler, inside the same transaction: a load_content leaves the
        # index matching what it loaded (and a broken file changes neither).
        content.register("search", order=1000, load=index.refresh_after_load, export=_nothing)


def _nothing(root):
    """The index is made from the content, so there is nothing of its own to write."""
