"""The browser tests' live server survives pages that fetch in the background."""

from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_at_once_all_succeed_on_the_test_database(live_server):
    # A page's own background fetch (the admin's lesson preview) overlapping the next page
    # once broke a CI run: on SQLite's in-memory test database, two requests at once fail.
    # The search page writes its index on first use, the others read.
    paths = ["/search/?q=fine-tuning", "/", "/accounts/login/", "/healthz"] * 6

    def status(path):
        with urlopen(live_server.url + path, timeout=60) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(status, paths))

    assert statuses == [200] * len(paths)
