"""Two managers saving a team's due dates at the same instant (PostgreSQL): the second save
applies to what the first wrote, so the result is one manager's whole form, never a mix of
both. ``set_due_dates`` locks the team's assignment rows before it compares them; here the
first save is held inside its write for a moment, so without the lock the second would read
the old dates and the two would mix every time.

SQLite serialises writers, so this runs only on PostgreSQL (DATABASE_URL=postgres://...
DJANGO_TEST_DB_NAME=test_<you>) and is skipped otherwise."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.models import Assignment
from accounts.services import set_due_dates
from tests.factories import make_course, make_team

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
    ),
]


def test_two_managers_saving_at_once_give_one_managers_dates_never_a_mix(monkeypatch):
    docs, dx = make_course(slug="docs"), make_course(slug="dx")
    team = make_team(slug="ward-7", courses=[docs, dx])
    later = timezone.localdate() + datetime.timedelta(days=10)
    forms = [{docs.pk: later, dx.pk: None}, {docs.pk: None, dx.pk: later}]

    real_bulk_update = Assignment.objects.bulk_update
    first_is_writing = threading.Event()

    def slow_bulk_update(objs, fields, **kwargs):
        # The first writer holds its transaction open while the second one starts.
        if not first_is_writing.is_set():
            first_is_writing.set()
            time.sleep(0.5)
        return real_bulk_update(objs, fields, **kwargs)

    monkeypatch.setattr(Assignment.objects, "bulk_update", slow_bulk_update)
    errors, order = [], []

    def save(index):
        try:
            if index == 1:
                assert first_is_writing.wait(timeout=30)
            set_due_dates(team=team, due_dates=forms[index])
            order.append(index)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sorted(order) == [0, 1]
    final = dict(Assignment.objects.filter(team=team).values_list("course_id", "due_on"))
    # The second save starts only once the first holds its rows, so it commits last (the
    # threads may report back in either order): its whole form is what stays.
    assert final == forms[1]
