"""Fixtures for the progress tests."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def json_support_known(db):
    """Ask the database once whether it has JSON functions, before any query is counted.

    SQLite's backend asks (``SELECT JSON(...)``) the first time a process builds a JSON
    expression (the dashboards' quiz and lesson lists), then remembers the answer for the
    life of the connection: one query per process in production, not per request. Without
    this the first counted request of a test process would carry it.
    """
    connection.features.has_json_object_function  # noqa: B018 - read for its side effect
