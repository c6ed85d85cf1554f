"""Query counts of the team pages at 10, 1,000 and 10,000 members: ``python -m benchmarks.queries FIXTURE``.

Run by ``benchmarks.run`` on the benchmark database after ``benchmarks.fixtures`` (whose JSON
is in the file FIXTURE), with the server's environment. For each team the fixture names (ten
members, the first team, everyone), in-process through Django's test client as the benchmark
sends them: each page once to warm what every request shares (the session, the header's review
summary), then after new activity (a member's enrolment seen now: the team's caches miss,
"cold"), then again ("warm"). Prints JSON: counts by page, team and state (the request's own;
what a view leaves until after its response, ``core.after_response``, apart as "<state>, after
the response"), and whether each page's counts are the same at every size. The suite asserts the same at 5 and 200 members
(tests/progress/test_queries.py); this checks it at the sizes the benchmark measures.
"""

import json
import sys
from pathlib import Path


def counts(fixture: dict) -> dict:
    from django.core.signals import request_finished

    from core.after_response import run_pending

    # The work after a response is run and counted apart, not inside the test client's request.
    request_finished.disconnect(dispatch_uid="core.after_response")
    try:
        return _counts(fixture)
    finally:
        request_finished.connect(run_pending, dispatch_uid="core.after_response")


def _counts(fixture: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.pages import BROWSER_ENCODING, cookies
    from benchmarks.profile import fresh_activity
    from core.after_response import run_pending

    client = Client()
    result: dict = {}
    for name, team in fixture["teams"].items():
        headers = {"Cookie": cookies(fixture, team["session"])}
        pages = {
            "team_dashboard": (f"/teams/{team['slug']}/", headers),
            "team_csv": (f"/teams/{team['slug']}/export.csv", {**headers, **BROWSER_ENCODING}),
        }
        for page, (path, page_headers) in pages.items():
            assert client.get(path, headers=page_headers).status_code == 200, (page, name)
            run_pending()
            found = {}
            for state in ("cold", "warm"):
                if state == "cold":
                    fresh_activity(team["slug"])
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path, headers=page_headers)
                assert response.status_code == 200, (page, name, state)
                found[state] = len(queries)
                with CaptureQueriesContext(connection) as later:
                    run_pending()
                if len(later):
                    found[f"{state}, after the response"] = len(later)
            result.setdefault(page, {})[f"{name} ({team['members']:,} members)"] = found
    for by_team in result.values():
        by_team["same at every size"] = len({tuple(c.values()) for c in by_team.values()}) == 1
    return result


def main(argv=None) -> int:
    from benchmarks.profile import configure

    argv = sys.argv[1:] if argv is None else argv
    fixture = json.loads(Path(argv[0]).read_text())
    configure()
    json.dump(counts(fixture), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
