"""What `make bench` asks for (benchmarks/pages.py), how issue 20's goals are judged, and the
background activity the team pages are measured under (benchmarks/activity.py)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from benchmarks.activity import Activity
from benchmarks.pages import BROWSER_ENCODING, activity_requests, first_views, pages
from benchmarks.run import FLOOR_SHARE, LATENCY_BUDGET_MS, judge


def fixture(learners=30, lessons=5) -> dict:
    team = lambda name: {"slug": f"load-{name}", "manager": f"m-{name}", "session": f"s-{name}"}  # noqa: E731
    paths = [f"/courses/c{n % 2}/l{n}/" for n in range(lessons)]
    return {
        "session_cookie": "sessionid", "csrf_cookie": "csrftoken", "csrf_secret": "x" * 32,
        "learner": {"username": "ann", "session": "s-ann"},
        "teams": {name: team(name) for name in ("team", "everyone", "ten")},
        "visitors": [f"v{n}" for n in range(12)], "lessons": paths,
        "activity_views": [{"session": f"v{n}", "lessons": paths[: 1 + n % 3]} for n in range(12)],
        "pool_sessions": [f"p{n}" for n in range(learners)],
        "member": 7, "lesson": {"course": "c0", "slug": "l0"}, "matrix_lesson": None,
        "quiz": "q", "matrix": {"slug": "m", "column": "k"},
        "submissions": [{"path": "/quizzes/q/", "session": f"p{n}", "body": f"attempt={n}"}
                        for n in range(500)],
    }  # fmt: skip


def test_issue_20_goals_are_the_budgets():
    assert FLOOR_SHARE["lesson_learner"] == 0.25
    assert FLOOR_SHARE["quiz_page"] == FLOOR_SHARE["learner_dashboard"] == FLOOR_SHARE["review"] == 0.15
    assert FLOOR_SHARE["lesson_anonymous"] == FLOOR_SHARE["catalog"] == 0.60
    assert LATENCY_BUDGET_MS["team_dashboard"] == ("p95", 150)
    assert LATENCY_BUDGET_MS["team_csv"] == ("p95", 500)
    assert judge("lesson_learner", {"requests": 9, "rps": 250.0}, 1000.0) == "met (>= 25% of floor)"
    assert judge("lesson_learner", {"requests": 9, "rps": 249.0}, 1000.0).startswith("NOT met")


def test_the_dashboard_verdict_says_it_was_measured_while_the_team_was_active():
    row = {"requests": 100, "p95_ms": 900.0, "rps": 10.0,
           "one_per_worker": {"connections": 2, "requests": 50, "p95_ms": 140.0},
           "background": {"achieved_per_s": 9.8}}  # fmt: skip
    assert judge("team_dashboard", row, 1000.0) == (
        "met (p95 140 ms at 2 connections; budget <= 150 ms); team active: 9.8 lesson views/s"
    )
    nothing = {"requests": 0, "rps": 0.0, "background": {"achieved_per_s": 1.0}}
    assert judge("team_dashboard", nothing, 1000.0) == (
        "NOT met (no request finished); team active: 1.0 lesson views/s"
    )
    assert judge("team_csv_uncompressed", {**row, "requests": 5}, 1000.0) == "team active: 9.8 lesson views/s"


def test_first_views_are_each_a_new_learner_and_lesson_and_never_repeat():
    data = fixture(learners=30, lessons=5)
    lines = first_views(data)
    pairs = [(line.split("\t")[0], line.split("\t")[1]) for line in lines]
    assert len(set(pairs)) == len(pairs) == 30 * 5
    for before, after in zip(pairs, pairs[1:], strict=False):
        assert before[0] != after[0] and before[1] != after[1]
    assert all(line.endswith("\t") for line in lines)  # a GET: no body


def test_every_page_is_asked_for_as_a_browser_asks_unless_told():
    specs = dict(pages(fixture()))
    for name, spec in specs.items():
        encoding = (spec.get("headers") or {}).get("Accept-Encoding")
        assert encoding == (None if name == "team_csv_uncompressed" else BROWSER_ENCODING["Accept-Encoding"]), name
        assert "identity" not in spec
    plain = dict(pages(fixture(), SimpleNamespace(identity=True)))
    assert not any("Accept-Encoding" in (spec.get("headers") or {}) for spec in plain.values())


def test_the_new_pages_and_which_are_measured_under_activity():
    specs = dict(pages(fixture()))
    assert {"lesson_learner_first", "course_learner", "team_member"} <= set(specs)
    assert specs["team_member"]["path"] == "/teams/load-team/members/7/"
    assert [name for name, spec in specs.items() if spec.get("activity")] == [
        "team_dashboard", "team_csv", "team_csv_uncompressed"]  # fmt: skip
    first = specs["lesson_learner_first"]
    assert first["pool"] == len(first["bodies"]) == 30 * 5 - len(first["warmup_bodies"]) > 0
    assert not set(first["bodies"]) & set(first["warmup_bodies"])


def test_the_activity_has_each_visitor_open_only_lessons_they_have_started():
    data = fixture()
    requests = activity_requests(data)
    assert len(requests) == 12 * 3
    for view in data["activity_views"]:
        mine = {path for path, headers in requests if headers["Cookie"].endswith(f"sessionid={view['session']}")}
        assert mine == set(view["lessons"])
    assert requests[0][1]["Cookie"] != requests[1][1]["Cookie"]
    assert all(headers["Accept-Encoding"] for _, headers in requests)


@pytest.fixture
def server():
    """A local HTTP server answering GET with ``state["status"]`` after ``state["delay"]``."""
    state = {"status": 200, "delay": 0.0, "paths": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(state["delay"])
            state["paths"].append(self.path)
            self.send_response(state["status"])
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
    httpd.server_close()


def test_the_activity_keeps_its_rate_and_reports_it(server):
    base, state = server
    activity = Activity(base, [("/a/", {}), ("/b/", {})], rate=40).start()
    time.sleep(1.0)
    report = activity.stop()
    assert 25 <= report["achieved_per_s"] <= 45
    assert report["errors"] == report["not_started"] == 0
    assert report["requests"] == len(state["paths"]) and set(state["paths"]) == {"/a/", "/b/"}


def test_the_activity_counts_failures_and_a_saturated_server(server):
    base, state = server
    state.update(status=500)
    report = Activity(base, [("/a/", {})], rate=40).start()
    time.sleep(0.3)
    assert report.stop()["errors"] > 0
    state.update(status=200, delay=0.5)
    slow = Activity(base, [("/a/", {})], rate=40, concurrency=2).start()
    time.sleep(0.4)
    report = slow.stop()
    assert report["not_started"] > 0 and report["achieved_per_s"] < 10
