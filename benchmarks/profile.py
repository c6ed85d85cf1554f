"""Profile benchmarked pages with pyinstrument under production-like settings.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python -m benchmarks.profile team_dashboard team_csv

The database must hold the content and a cohort made with ``make_load_data --everyone`` (the
benchmark's own database is temporary; make one with the same three commands as
``benchmarks.run``). Debug is off, static files use the hashed manifest storage (collected
into a temporary folder once), and each page is requested through Django's test client with
the same cookies and headers as in the benchmark: ``--repeat`` times after one warm-up
request, inside one pyinstrument session. The text report goes to stdout; ``--html DIR``
also writes an HTML report per page. ``--time`` measures instead of profiling: the wall time
of each of the ``--repeat`` requests without the profiler's overhead, as median and p95.
``--cold`` gives the team a member's lesson view before each request (``fresh_activity``):
since lesson views move the team's fingerprint at most once per ``team_cache.SEEN_EVERY``,
the team pages' caches stay warm, as for an active team; ``--cold answer`` submits one of a
member's attempts now instead, as a quiz submission does, so the caches miss and progress,
mastery and item analysis are worked out again.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from functools import partial
from pathlib import Path


def configure() -> None:
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_AXES_ENABLED"] = "0"
    os.environ.setdefault(
        "DJANGO_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "bench-profile-static")
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def request(client, spec: dict, line: str | None):
    headers = dict(spec.get("headers") or {})
    path, body = spec["path"], None
    if line is not None:
        line_path, cookie, body = line.split("\t", 2)
        path = line_path or path
        if cookie:
            headers["Cookie"] = cookie
    content_type = headers.pop("Content-Type", "application/x-www-form-urlencoded")
    if spec.get("method", "GET") == "POST":
        return client.post(path, data=body, content_type=content_type, headers=headers)
    return client.get(path, headers=headers)


def fresh_activity(team_slug: str) -> None:
    """A member's lesson view, recorded as the lesson page records it (``record_visit``): a
    member opens a lesson of a course they are enrolled in, so their enrolment is seen now
    (unless they saw that lesson minutes ago). It moves the team's activity fingerprint only
    when the latest lesson view enters a new period (``team_cache.SEEN_EVERY``)."""
    from courses.models import Enrollment
    from lessons.models import Lesson
    from lessons.services import record_visit

    enrolment = Enrollment.objects.filter(
        user__memberships__team__slug=team_slug, user__memberships__role="member"
    ).select_related("user", "course").order_by("?").first()
    lesson = Lesson.objects.filter(course=enrolment.course, status=Lesson.Status.PUBLISHED).order_by("?").first()
    record_visit(user=enrolment.user, course_slug=enrolment.course.slug, lesson_slug=lesson.slug)


def fresh_answer(team_slug: str) -> None:
    """What a member's quiz submission records: one of their attempts is submitted now. It
    moves the fingerprint's attempts, so progress, mastery and item analysis miss the cache."""
    from django.utils import timezone

    from quizzes.models import Attempt

    attempt = Attempt.objects.filter(
        user__memberships__team__slug=team_slug, user__memberships__role="member", submitted_at__isnull=False
    ).order_by("?").first()
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now())


class AfterResponse:
    """Times the work views leave until after their response (``core.after_response``): the
    test client runs it inside its request, a WSGI server once the response has gone, so it
    is taken out of a request's time and reported apart."""

    def __init__(self):
        from django.core.signals import request_finished

        from core.after_response import run_pending

        self.seconds = 0.0
        self.run_pending = run_pending
        request_finished.disconnect(dispatch_uid="core.after_response")
        request_finished.connect(self.timed, dispatch_uid="core.after_response")

    def timed(self, **kwargs):
        started = time.perf_counter()
        self.run_pending()
        self.seconds += time.perf_counter() - started

    def take(self) -> float:
        seconds, self.seconds = self.seconds, 0.0
        return seconds


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return values[len(values) // 2], values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def timed(client, spec: dict, lines, repeat: int, before=None, after: AfterResponse | None = None) -> str:
    """Median and p95 wall time of ``repeat`` requests, the median CPU time of this process
    (less disturbed by other work on the machine; PostgreSQL's own time is not in it), and
    the response's size; ``before`` runs ahead of each request, outside the timing. Work done
    after the response (``after``) is not in a request's time: its median and p95 follow."""
    times, cpu, later, size = [], [], [], 0
    for _ in range(repeat):
        if before:
            before()
        if after:
            after.take()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request(client, spec, next(lines) if lines is not None else None)
        if not response.streaming:
            size = len(response.content)
        after_seconds = after.take() if after else 0.0
        times.append((time.perf_counter() - started - after_seconds) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        later.append(after_seconds * 1000)
    (median, p95), (cpu_median, _) = percentiles(times), percentiles(cpu)
    report = (f"median {median:.1f} ms, p95 {p95:.1f} ms, CPU median {cpu_median:.1f} ms "
              f"(with the work after it) over {repeat} ({size:,} bytes)")
    if any(later):
        later_median, later_p95 = percentiles(later)
        report += f"; after the response: median {later_median:.1f} ms, p95 {later_p95:.1f} ms"
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="pages to profile (default: all)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", type=Path, help="also write <DIR>/<page>.html")
    parser.add_argument("--time", action="store_true", help="time the requests, do not profile")
    parser.add_argument("--cold", nargs="?", const="view", choices=["view", "answer"],
                        help="fresh team activity before each request: a lesson view (the "
                             "default) or a quiz submission (mastery is worked out again too)")
    options = parser.parse_args(argv)
    configure()

    from django.test import Client
    from pyinstrument import Profiler

    from benchmarks.fixtures import build
    from benchmarks.pages import pages

    fixture = build()
    client = Client()
    after = AfterResponse()
    for name, spec in pages(fixture):
        if options.names and name not in options.names:
            continue
        lines = iter((spec.get("warmup_bodies") or []) + (spec.get("bodies") or []))
        pooled = bool(spec.get("bodies"))
        response = request(client, spec, next(lines) if pooled else None)
        if response.status_code != 200:
            print(f"{name}: status {response.status_code}; skipped", file=sys.stderr)
            continue
        before = None
        if options.cold and spec["path"].startswith("/teams/"):
            activity = fresh_answer if options.cold == "answer" else fresh_activity
            before = partial(activity, spec["path"].split("/")[2])  # /teams/<slug>/...
        if options.time:
            print(f"{name}: {timed(client, spec, lines if pooled else None, options.repeat, before, after)}")
            continue
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for _ in range(options.repeat):
                if before:
                    before()  # shows as its own small frame in the report
                request(client, spec, next(lines) if pooled else None)
        per_request = (time.perf_counter() - started) / options.repeat * 1000
        print(f"\n===== {name}: {per_request:.1f} ms per request (in-process, profiled) =====")
        print(profiler.output_text(unicode=True, color=False))
        if options.html:
            options.html.mkdir(parents=True, exist_ok=True)
            (options.html / f"{name}.html").write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())
