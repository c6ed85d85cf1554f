"""Members of the measured team opening lessons in the background, at a fixed rate.

``make bench`` measures the team dashboard and CSV "while the team is active": every lesson a
member opens records their visit, which changes the team's activity fingerprint (and so the
keys of its cached figures). Measured on a quiet server, the dashboard would only ever be warm;
a real team's is not.

The rate: 10 lesson views a second (``RATE``) for a 1,000-member team. That is a busy hour
of a working day, not an average one: a whole team in a training session at once, each member
opening a lesson about every 100 seconds (36,000 views an hour, 36 per member). An ordinary
day, with a third of the team taking a few lessons, is well under one view a second; a rate
this high keeps the fingerprint changing several times during every dashboard request, so
the dashboard is judged at its hardest, not its easiest.

The load is open-loop, as real visitors are: a request is started every ``1 / rate`` seconds
whether or not the previous ones have finished (on a new connection each, from a small pool of
threads), so a slow server does not quietly lower the rate. ``report()`` says what rate was
achieved, how many requests failed, and how many could not even be started because
``concurrency`` were already waiting (the server was saturated).
"""

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

RATE = 10.0


class Activity:
    """Cycle through ``requests`` ((path, headers) pairs) against ``base`` at ``rate`` a second."""

    def __init__(self, base: str, requests: list[tuple[str, dict]], *, rate: float = RATE,
                 concurrency: int = 8):  # fmt: skip
        if not requests or rate <= 0:
            raise ValueError("background activity needs requests and a positive rate")
        self.base, self.requests, self.rate = base.removeprefix("http://"), requests, rate
        self.concurrency = concurrency
        self.times_ms: list[float] = []
        self.errors = self.skipped = self.outstanding = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=concurrency)
        self.scheduler = threading.Thread(target=self._schedule, daemon=True)
        self.started = self.stopped = 0.0

    def start(self) -> "Activity":
        self.started = time.perf_counter()
        self.scheduler.start()
        return self

    def stop(self) -> dict:
        """Stop starting requests, wait for the ones under way, and return ``report()``."""
        self.stopping.set()
        self.scheduler.join()
        self.pool.shutdown(wait=True)
        self.stopped = time.perf_counter()
        return self.report()

    def _schedule(self) -> None:
        number = 0
        while not self.stopping.is_set():
            due = self.started + number / self.rate
            if self.stopping.wait(max(0.0, due - time.perf_counter())):
                break
            with self.lock:
                saturated = self.outstanding >= self.concurrency
                if not saturated:
                    self.outstanding += 1
            if saturated:
                self.skipped += 1
            else:
                self.pool.submit(self._one, *self.requests[number % len(self.requests)])
            number += 1

    def _one(self, path: str, headers: dict) -> None:
        started = time.perf_counter()
        ok = False
        try:
            connection = http.client.HTTPConnection(self.base, timeout=60)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            finally:
                connection.close()
        except OSError:
            pass
        with self.lock:
            self.outstanding -= 1
            if ok:
                self.times_ms.append((time.perf_counter() - started) * 1000)
            else:
                self.errors += 1

    def report(self) -> dict:
        from benchmarks.measure import percentile

        seconds = (self.stopped or time.perf_counter()) - self.started
        done = len(self.times_ms)
        return {
            "target_per_s": self.rate,
            "achieved_per_s": round(done / seconds, 1) if seconds else 0.0,
            "requests": done,
            "errors": self.errors,
            "not_started": self.skipped,
            "seconds": round(seconds, 1),
            "p50_ms": round(percentile(self.times_ms, 0.50), 1) if done else None,
            "p95_ms": round(percentile(self.times_ms, 0.95), 1) if done else None,
        }
