"""`make bench`: the app under gunicorn with production settings, driven by wrk on loopback.

Steps: build a database (PostgreSQL when DATABASE_URL is set, else a temporary SQLite file)
with the shipped content and a synthetic cohort (``make_load_data``: 10,000 learners in 10
teams of 1,000 plus the team of all 10,000, by default), count the team pages' queries at 10,
1,000 and 10,000 members (``benchmarks.queries``), collect static files, start gunicorn (2
workers, debug off, the benchmark floor view enabled), then run wrk against each page in turn
and print requests/s and latency percentiles beside the floor: a trivial view through the full
middleware stack, so each page is judged against what the framework itself costs on this
machine. The team dashboard and CSV are measured while members of the team keep opening
lessons in the background (``benchmarks.activity``: 10 views a second by default, and why);
the rate achieved is reported beside them. Last, they are measured cold: one request at a
time, each after a member of the team opens a lesson (new activity, so the team's caches miss).
Every page is asked for with ``Accept-Encoding: gzip``, as browsers do (``--identity``: not).

Why wrk: it is a C load generator from Debian's packages that keeps a fixed number of
connections busy from a second process with little CPU of its own, so on a 2-core machine it
disturbs the server less than a Python generator such as locust would; its Lua hook gives us
p95 and lets us cycle request bodies (one fresh quiz attempt per submission).

Results go to benchmarks/results/<timestamp>.json with the machine's cores and memory.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.activity import RATE, Activity
from benchmarks.measure import check_page, measure_cold, warm_workers, wrk

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable

# Budgets from the performance issues: throughput as a share of the floor, or absolute latency
# (warm pages at one connection per worker, cold ones one request at a time). Issue 20 set the
# signed-in pages' shares and the team dashboard's p95 while the team is active.
FLOOR_SHARE = {"catalog": 0.60, "lesson_anonymous": 0.60, "lesson_learner": 0.25,
               "quiz_page": 0.15, "learner_dashboard": 0.15, "review": 0.15,
               "matrix_partial": 0.70}  # fmt: skip
LATENCY_BUDGET_MS = {
    "team_dashboard": ("p95", 150),
    "team_dashboard_cold": ("p95", 400),
    "team_dashboard_everyone": ("p95", 400),
    "team_csv": ("p95", 500),
    "team_csv_cold": ("p95", 500),
    "team_dashboard_cold_answer": ("p95", 400),
    "team_csv_cold_answer": ("p95", 500),
}
# The cold measurements: page measured, how many requests, and the new activity before each:
# a member's lesson view, or a quiz submission (which mastery and item analysis read too).
COLD = {
    "team_dashboard_cold": ("team_dashboard", 30, "view"),
    "team_csv_cold": ("team_csv", 15, "view"),
    "team_dashboard_cold_answer": ("team_dashboard", 20, "answer"),
    "team_csv_cold_answer": ("team_csv", 10, "answer"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> dict:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "platform": sys.platform,
        # Other work on the machine skews every figure: the load when the run began.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    print("  $", " ".join(args[1:] if args[0] == PYTHON else args), flush=True)
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(env: dict, workdir: Path) -> dict:
    """Point the environment at a fresh benchmark database and return it."""
    env = dict(env)
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres"):
        import psycopg

        # Its own name (BENCH_DATABASE_NAME) lets two runs share one PostgreSQL server.
        name = os.environ.get("BENCH_DATABASE_NAME", "bench_courses")
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + name
        env["BENCH_DATABASE"] = "postgresql"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env["BENCH_DATABASE"] = "sqlite"
    return env


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f}s")


def judge(name: str, row: dict, floor_rps: float) -> str:
    """The budget column: whether ``row`` meets its page's budget, and, for a page measured
    while the team was active, the rate of lesson views it was measured under."""
    verdict = _verdict(name, row, floor_rps)
    if row.get("background"):
        verdict += f"{'; ' if verdict else ''}team active: {row['background']['achieved_per_s']:.1f} lesson views/s"
    return verdict


def _verdict(name: str, row: dict, floor_rps: float) -> str:
    if not row["requests"]:
        return "NOT met (no request finished)" if name in FLOOR_SHARE or name in LATENCY_BUDGET_MS else ""
    if name in FLOOR_SHARE:
        needed = FLOOR_SHARE[name]
        share = row["rps"] / floor_rps if floor_rps else 0
        return f"{'met' if share >= needed else 'NOT met'} (>= {needed:.0%} of floor)"
    if name in LATENCY_BUDGET_MS:
        stat, limit = LATENCY_BUDGET_MS[name]
        measured = row.get("one_per_worker", row)
        if not measured["requests"]:
            return "NOT met (no request finished)"
        value = measured[f"{stat}_ms"]
        where = f" at {measured['connections']} connections" if "connections" in measured else ""
        if measured.get("sequential"):
            where = f", {measured['requests']} requests one at a time after new activity"
        return f"{'met' if value <= limit else 'NOT met'} ({stat} {value:.0f} ms{where}; budget <= {limit} ms)"
    return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--teams", type=int, default=10, help="the first is the measured team")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="run only these page names")
    parser.add_argument("--activity-rate", type=float, default=RATE,
                        help="members' lesson views a second while the team pages are measured")
    parser.add_argument("--identity", action="store_true",
                        help="ask for every page without Accept-Encoding (nothing compressed)")
    options = parser.parse_args(argv)

    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (Debian's package).", file=sys.stderr)
        return 1

    host = machine()  # before the run, so the load average is the machine's, not ours
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = prepare_database(base_env, workdir)
    setup_env = {**env, "DJANGO_DEBUG": "1"}
    print(f"Preparing a {env['BENCH_DATABASE']} database with {options.learners} learners "
          f"in {options.teams} teams...")
    started = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], setup_env)
    run([PYTHON, "manage.py", "load_content", "content"], setup_env, stdout=subprocess.DEVNULL)
    made = time.monotonic()
    run([PYTHON, "manage.py", "make_load_data", "--learners", str(options.learners),
         "--teams", str(options.teams), "--seed", "1", "--everyone"], setup_env)
    load_data_seconds = round(time.monotonic() - made, 1)
    print(f"  make_load_data took {load_data_seconds}s (process included); "
          f"data ready in {time.monotonic() - started:.1f}s")

    port = free_port()
    serve_env = {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BENCHMARK_ENDPOINTS": "1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_AXES_ENABLED": "0",
    }
    # Sessions are signed with the server's secret key, so the fixtures are made with it.
    print("  $ -m benchmarks.fixtures", flush=True)
    fixture = json.loads(
        subprocess.run([PYTHON, "-m", "benchmarks.fixtures"], env=serve_env, cwd=ROOT,
                       check=True, stdout=subprocess.PIPE, text=True).stdout
    )
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], serve_env)
    fixture_file = workdir / "fixture.json"
    fixture_file.write_text(json.dumps(fixture))
    print("  $ -m benchmarks.queries (in-process)", flush=True)
    query_counts = json.loads(
        subprocess.run([PYTHON, "-m", "benchmarks.queries", str(fixture_file)], env=serve_env,
                       cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    )  # fmt: skip
    for page, by_team in query_counts.items():
        sizes = ", ".join(f"{team}: {c['cold']} cold / {c['warm']} warm"
                          for team, c in by_team.items() if isinstance(c, dict))  # fmt: skip
        same = "same at every size" if by_team["same at every size"] else "NOT the same at every size"
        print(f"  queries, {page}: {sizes} ({same})", flush=True)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--no-control-socket",
         "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers),
         # Past gunicorn's 30 s default: a 10,000-member dashboard's first request works out
         # the team's aggregates (README, Performance), and a worker killed for it would
         # lose its cache and start again.
         "--timeout", "180", "--log-level", "warning"],
        env=serve_env, cwd=ROOT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    rows = {}
    try:
        wait_until_up(base + "/healthz")
        from benchmarks.pages import activity_requests, pages

        for name, spec in pages(fixture, options):
            if options.only and name not in options.only and name != "floor":
                continue
            check_page(base, name, spec)
            seconds, timeout = options.seconds, 10
            if spec.get("method", "GET") == "GET":
                # Each worker's caches filled, however long a first request takes (a team
                # page's works out what the next ones read from the cache, in each worker).
                warm = warm_workers(base, spec, workers=options.workers)
                # A slow page (the 10,000-member dashboard) is measured long enough for about
                # ten requests per connection, and no warm request is cut off as a timeout.
                seconds = max(seconds, min(120, math.ceil(10 * warm)))
                timeout = max(timeout, math.ceil(4 * warm))
            # The team active from here to the end of the page's measurements, so the warm-up
            # already meets caches that the members' lesson views keep changing.
            activity = None
            if spec.get("activity"):
                activity = Activity(base, activity_requests(fixture), rate=options.activity_rate).start()
            # And a second of wrk, so each worker has its connections and templates ready.
            wrk(base + spec["path"], seconds=1, connections=options.workers, threads=1,
                method=spec.get("method", "GET"), headers=spec.get("headers"),
                bodies=spec.get("warmup_bodies"), workdir=workdir)
            quiet = None
            if name in LATENCY_BUDGET_MS:
                # Latency budgets are judged with one connection per worker (at --connections
                # the p95 mostly measures the queue in front of the busy workers), and first:
                # a slow page's queue from the busier run would still be in front of it.
                quiet = wrk(base + spec["path"], seconds=seconds, timeout=timeout,
                            connections=options.workers, threads=1, headers=spec.get("headers"),
                            workdir=workdir)
                print(f"  {name:<22} {quiet['rps']:>8.1f} req/s  p95 {quiet['p95_ms']:>7.1f} ms"
                      f"  ({options.workers} connections)", flush=True)
            row = wrk(base + spec["path"], seconds=seconds, timeout=timeout,
                      connections=options.connections, threads=options.threads,
                      method=spec.get("method", "GET"), headers=spec.get("headers"),
                      bodies=spec.get("bodies"), workdir=workdir)
            rows[name] = {"path": spec["path"], **row}
            if activity is not None:
                rows[name]["background"] = background = activity.stop()
                print(f"  {'':<22} while members opened {background['achieved_per_s']:.1f} lessons/s "
                      f"(target {background['target_per_s']:g}; {background['errors']} errors, "
                      f"{background['not_started']} not started, p95 {background['p95_ms']} ms)", flush=True)
            if quiet is not None:
                rows[name]["one_per_worker"] = {"connections": options.workers, "seconds": seconds, **quiet}
            note = f"  errors: {row['errors']}" if row["errors"] else ""
            if "pool" in spec:
                rows[name]["pool"] = spec["pool"]
                if row["requests"] > spec["pool"]:
                    # Past the pool, submissions repeat: "already submitted", not a grading.
                    rows[name]["pool_exhausted"] = True
                    note += f"  (pool of {spec['pool']} exhausted)"
            print(f"  {name:<22} {row['rps']:>8.1f} req/s  p95 {row['p95_ms']:>7.1f} ms{note}",
                  flush=True)
            # Requests wrk gave up on are still being served: let them finish before the next
            # page is measured (gunicorn's sync workers serve what they accepted).
            served_ms = row["p50_ms"] or timeout * 1000  # none finished: at least that slow
            time.sleep(min(60, options.connections * served_ms / 1000 / options.workers + 0.5))
        lesson = fixture["lesson"]
        by_name = dict(pages(fixture, options))
        for name, (page, requests, activity) in COLD.items():
            if options.only and name not in options.only and page not in options.only:
                continue
            # The work the previous phase left after its responses (a dashboard's figures worked
            # out anew) finishes first, so it does not queue in front of this phase's requests.
            time.sleep(3)
            row = measure_cold(base, by_name[page], requests=requests, visitors=fixture["visitors"],
                               lesson_path=f"/courses/{lesson['course']}/{lesson['slug']}/", fixture=fixture,
                               activity=activity, env=setup_env)  # fmt: skip
            rows[name] = {"path": by_name[page]["path"], "activity": activity, **row}
            print(f"  {name:<26} p50 {row['p50_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms"
                  f"  ({requests} requests, one at a time, each after a {'quiz submission' if activity == 'answer' else 'lesson view'})",
                  flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    floor_rps = rows.get("floor", {}).get("rps", 0.0)
    print()
    print(f"{'page':<26} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'floor':>7}  budget")
    for name, row in rows.items():
        ratio = row["rps"] / floor_rps if floor_rps else 0.0
        row["ratio_to_floor"] = round(ratio, 3)
        row["budget"] = judge(name, row, floor_rps)
        print(f"{name:<26} {row['rps']:>9.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
              f"{row['p99_ms']:>8.1f} {ratio:>7.0%}  {row['budget']}")

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "machine": host,
        "database": env["BENCH_DATABASE"],
        "learners": options.learners,
        "teams": options.teams,
        "workers": options.workers,
        "make_load_data_seconds": load_data_seconds,
        "team_members": {name: team["members"] for name, team in fixture["teams"].items()},
        "queries": query_counts,
        "wrk": {"seconds": options.seconds, "connections": options.connections,
                "threads": options.threads},
        "accept_encoding": "identity" if options.identity else "gzip",
        "activity_rate_target": options.activity_rate,
        "pages": rows,
    }
    out = RESULTS / f"{stamp}-{env['BENCH_DATABASE']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {out.relative_to(ROOT)}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
