"""The embedded SQLite runs in WAL mode with immediate transactions (config/settings.py).

The test database is in memory, where SQLite has no WAL, so these tests open a file database
with the project's own OPTIONS, as `make run` and `make serve` do.
"""

import copy
import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="PostgreSQL keeps its own settings",
    ),
]


@pytest.fixture
def file_database(tmp_path, monkeypatch, django_db_blocker):
    """Open ``alias`` on one SQLite file with the settings' OPTIONS (``timeout`` overridden).

    Not the test database, so no django_db mark: its isolation would refuse other aliases.
    """
    opened = []

    def open_connection(alias, **options):
        config = copy.deepcopy(connections.settings["default"])
        config["NAME"] = str(tmp_path / "db.sqlite3")
        config["OPTIONS"].update(options)
        monkeypatch.setitem(connections.settings, alias, config)
        opened.append(alias)
        return connections[alias]

    with django_db_blocker.unblock():
        yield open_connection
    for alias in opened:
        connections[alias].close()
        del connections[alias]


def test_the_settings_ask_for_wal_normal_sync_and_immediate_transactions():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL" in options["init_command"]
    assert 5 <= options["timeout"] < 30  # waits for a writer, yet within gunicorn's timeout


def test_a_file_database_is_in_wal_mode_with_normal_sync(file_database):
    with file_database("wal_a").cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_a_transaction_that_has_only_read_already_holds_the_write_lock(file_database):
    first = file_database("wal_a")
    second = file_database("wal_b", timeout=0.2)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE resume (n integer)")
    with transaction.atomic(using="wal_a"):
        with first.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM resume")
        # Deferred, the first would hold no lock yet and this write would go through.
        with pytest.raises(OperationalError, match="locked"), second.cursor() as cursor:
            cursor.execute("INSERT INTO resume VALUES (1)")
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO resume VALUES (2)")  # the lock went with the transaction


def test_a_reader_is_not_blocked_by_a_writer_in_wal_mode(file_database):
    first = file_database("wal_a")
    second = file_database("wal_b", timeout=0.2)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE resume (n integer)")
        cursor.execute("INSERT INTO resume VALUES (1)")
    with transaction.atomic(using="wal_a"):
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO resume VALUES (2)")
        with second.cursor() as cursor:  # sees the last commit, not the open write
            assert cursor.execute("SELECT count(*) FROM resume").fetchone()[0] == 1


def test_a_second_writer_waits_for_the_first_instead_of_failing(file_database):
    first = file_database("wal_a")
    file_database("wal_b")  # the settings' timeout
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE resume (n integer)")
    done = threading.Event()

    def write_when_free():
        # The thread's own connection to wal_b (Django's connections are per thread).
        try:
            with transaction.atomic(using="wal_b"), connections["wal_b"].cursor() as cursor:
                cursor.execute("INSERT INTO resume VALUES (2)")
            done.set()
        finally:
            connections["wal_b"].close()

    with transaction.atomic(using="wal_a"):
        with first.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM resume")
        worker = threading.Thread(target=write_when_free)
        worker.start()
        assert not done.wait(0.5)  # waiting in the busy handler
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO resume VALUES (1)")
    worker.join(10)
    assert done.is_set()
    with first.cursor() as cursor:
        assert cursor.execute("SELECT n FROM resume ORDER BY rowid").fetchall() == [(1,), (2,)]
