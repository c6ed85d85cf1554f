"""How ``make bench`` sends requests and times them: wrk runs, single checked requests, the
warm-up of every worker, the cold measurements one request at a time, and percentiles.

``benchmarks.run`` strings these together; they are apart so that it stays readable.
"""

import gzip
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
PYTHON = sys.executable


def wrk(url: str, *, seconds: int, connections: int, threads: int, method="GET",
        headers: dict | None = None, bodies: list[str] | None = None, workdir: Path,
        timeout: int = 10) -> dict:
    env = dict(os.environ)
    env["BENCH_METHOD"] = method
    env["BENCH_THREADS"] = str(threads)
    env["BENCH_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())
    env["BENCH_BODIES"] = ""
    if bodies:
        path = workdir / f"bodies-{secrets.token_hex(4)}.txt"
        path.write_text("\n".join(bodies) + "\n")
        env["BENCH_BODIES"] = str(path)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s",
         "-s", str(LUA), url],
        env=env, capture_output=True, text=True, timeout=seconds + timeout + 60, check=True,
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    duration_s = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": round(data["requests"] / duration_s, 1) if duration_s else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "errors": data["non_2xx_3xx"] + data["socket_errors"],
    }


def check_page(base: str, name: str, spec: dict) -> None:
    """Request the page once, as wrk will, and insist on a 200 holding ``spec["expect"]``.

    A POST uses the last warm-up body, so the measured pool stays untouched.
    """
    import http.client

    headers = dict(spec.get("headers") or {})
    path, body = spec["path"], None
    lines = spec.get("warmup_bodies") or spec.get("bodies")
    if lines:
        line_path, cookie, body = lines[-1].split("\t", 2)
        path = line_path or path
        if cookie:
            headers["Cookie"] = cookie
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    try:
        connection.request(spec.get("method", "GET"), path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        if response.getheader("Content-Encoding") == "gzip":  # asked for as a browser does
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", "replace")
    finally:
        connection.close()
    if response.status != 200 or spec.get("expect", "") not in text:
        raise RuntimeError(
            f"{name}: {spec.get('method', 'GET')} {path} gave {response.status} "
            f"without {spec.get('expect')!r}; the benchmark would measure the wrong thing.\n"
            + text[:500]
        )


def fetch(base: str, path: str, headers: dict) -> tuple[int, float]:
    """GET ``path`` on a new connection (as wrk's requests to gunicorn's sync workers are):
    the status and the seconds until the whole body has arrived."""
    import http.client

    started = time.perf_counter()
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=180)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - started


def warm_workers(base: str, spec: dict, *, workers: int, rounds: int = 2) -> float:
    """Send ``spec``'s GET ``workers`` at a time, ``rounds`` times, each waited for; return the
    slowest request of the last round, in seconds (what a warm request costs now).

    A busy sync worker accepts no connection, so ``workers`` requests at once reach every
    worker; unlike a timed wrk warm-up, nothing is abandoned and left queued in front of the
    measurement when a first request is slow.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(rounds):
            results = list(pool.map(lambda _: fetch(base, spec["path"], spec.get("headers") or {}),
                                    range(workers)))  # fmt: skip
            if any(status != 200 for status, _ in results):
                raise RuntimeError(f"warming {spec['path']} gave {[status for status, _ in results]}")
    return max(seconds for _, seconds in results)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure_cold(base: str, spec: dict, *, requests: int, visitors: list[str], lesson_path: str,
                 fixture: dict, activity: str = "view", env: dict | None = None) -> dict:
    """``spec``'s page one request at a time, each after new activity in the team, so the
    team's activity fingerprint and its cache keys change and both gunicorn workers miss:
    with ``activity`` "view", a member (one of ``visitors``, in turn) opens a lesson, which
    records their visit (their enrolment's ``last_seen_at``); with "answer", one of a
    member's quiz attempts is submitted anew (``benchmarks.profile.fresh_answer``, in a
    process of its own with ``env``). Only the page's own request is timed."""
    from benchmarks.pages import cookies

    team = spec["path"].split("/")[2]  # /teams/<slug>/...
    times = []
    for number in range(requests):
        if activity == "answer":
            code = f"from benchmarks.profile import fresh_answer; fresh_answer({team!r})"
            subprocess.run([PYTHON, "manage.py", "shell", "-c", code], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        else:
            visitor = {"Cookie": cookies(fixture, visitors[number % len(visitors)])}
            status, _ = fetch(base, lesson_path, visitor)
            if status != 200:
                raise RuntimeError(f"the visitor's lesson view gave {status}: no new activity")
        status, seconds = fetch(base, spec["path"], spec.get("headers") or {})
        if status != 200:
            raise RuntimeError(f"{spec['path']} gave {status} after new activity")
        times.append(seconds * 1000)
    return {
        "requests": requests, "sequential": True,
        "p50_ms": round(percentile(times, 0.50), 1), "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1), "max_ms": round(max(times), 1),
        "rps": round(1000 * requests / sum(times), 1), "errors": 0,
    }  # fmt: skip
