"""The app under `make serve` (gunicorn, whitenoise, production settings), over real HTTP.

One server per database backend for the whole module, built the way docs/deploy.md says:
debug unset, a generated secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1, behind a TLS proxy (the
tests send X-Forwarded-Proto: https as the proxy would; without it the app redirects to
HTTPS), static files collected into a temporary STATIC_ROOT. A second, bare gunicorn on
another port plays a second app host sharing the database (and Redis, on PostgreSQL).

The SQLite variant runs when the suite runs on SQLite, against a temporary database file;
the PostgreSQL variant runs when it runs on PostgreSQL (DATABASE_URL=postgres://...), against
a database of its own that it creates and drops. Every wait is bounded, and every server is
stopped in the fixture's teardown.
"""

import gzip
import json
import re
import secrets
import time
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from config.staticfinders import PLOTLY_DIR, PLOTLY_FILE

from .csp import assert_strict_policy
from .production import ROOT, production_env, run_manage
from .server import VENV_BIN, AppServer, free_port, postgres_database

REDIS_URL = "redis://127.0.0.1:6379/0"
PROXIED = {"X-Forwarded-Proto": "https"}
FOREVER = "max-age=315360000, public, immutable"  # WhiteNoise's header for hashed names
USERNAME = "served-learner"
PASSWORD = "Served-over-gunicorn-77"
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


@dataclass
class Deployment:
    backend: str
    main: AppServer
    second: AppServer
    env: dict
    static_root: Path
    database: str | None = None
    pg_admin: object = None


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


def published_course_slugs() -> list[str]:
    slugs = []
    for course_file in sorted((ROOT / "content").glob("*/course.toml")):
        if re.search(r"^is_published\s*=\s*true", course_file.read_text(), re.M):
            slugs.append(course_file.parent.name)
    return slugs


def start_make_serve(env: dict, port: int, log_path: Path) -> AppServer:
    return AppServer.start(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
        env=env, port=port, log_path=log_path, ready_within=300,
    )


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
)
def deployment(request, tmp_path_factory):
    backend = request.param
    vendor = connection.vendor
    if backend == "sqlite" and vendor != "sqlite":
        pytest.skip("the suite runs on PostgreSQL: the PostgreSQL variant covers serving")
    if backend == "postgres" and vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")
    workdir = tmp_path_factory.mktemp(f"serve-{backend}")
    static_root = workdir / "static"
    port, second_port = free_port(), free_port()

    with ExitStack() as stack:
        database = pg_admin = None
        if backend == "postgres":
            url, database, pg_admin = stack.enter_context(
                postgres_database(connection.settings_dict)
            )
        else:
            url = f"sqlite:///{workdir / 'app.sqlite3'}"
        env = production_env(
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=url,
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_CACHE_KEY_PREFIX=f"test-gunicorn-{secrets.token_hex(4)}",
            HOST="127.0.0.1",
            PORT=str(port),
            WEB_CONCURRENCY="2",
        )
        for name in MAKE_VARIABLES:  # a make around pytest must not steer the inner one
            env.pop(name, None)
        if backend == "postgres" and redis_available():
            env["REDIS_URL"] = REDIS_URL

        main = start_make_serve(env, port, workdir / "serve.log")
        stack.callback(lambda: deployment.main.stop())  # the current one, after a restart too
        made = run_manage(
            "shell", "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_user({USERNAME!r}, 'served@example.com', {PASSWORD!r})",
            env=env, timeout=120,
        )
        assert made.returncode == 0, made.stderr
        second = AppServer.start(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--no-control-socket",
             "--bind", f"127.0.0.1:{second_port}", "--workers", "1"],
            env=env, port=second_port, log_path=workdir / "second.log", ready_within=120,
        )
        stack.callback(second.stop)
        deployment = Deployment(backend, main, second, env, static_root, database, pg_admin)
        yield deployment


def test_make_serve_answers_the_health_check_and_the_catalog(deployment):
    health = deployment.main.get("/healthz")
    assert health.status == 200 and health.body == b"ok\n"
    catalog = deployment.main.get("/", headers=PROXIED)
    assert catalog.status == 200
    slugs = published_course_slugs()
    assert slugs, "content/ has no published course"
    for slug in slugs:  # make serve loaded content/ into the empty database
        assert f'href="/courses/{slug}/"' in catalog.text
    overview = deployment.main.get(f"/courses/{slugs[0]}/", headers=PROXIED)
    assert overview.status == 200


def test_debug_is_off(deployment):
    response = deployment.main.get("/no/such/page/", headers=PROXIED)
    assert response.status == 404
    assert "Page not found" in response.text
    assert "URLconf" not in response.text and "Traceback" not in response.text


def test_plain_http_is_redirected_to_https_except_the_health_check(deployment):
    response = deployment.main.get("/accounts/login/?next=/progress/")
    assert response.status == 301
    assert response.headers["Location"] == (
        f"https://{deployment.main.origin}/accounts/login/?next=/progress/"
    )
    assert deployment.main.get("/healthz").status == 200


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/"])
def test_pages_carry_every_security_header(deployment, path):
    response = deployment.main.get(path, headers=PROXIED)
    assert response.status == 200
    headers = response.headers
    assert_strict_policy(headers["Content-Security-Policy"])
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_no_hsts_over_plain_http(deployment):
    assert "Strict-Transport-Security" not in deployment.main.get("/healthz").headers


def stylesheet_url(deployment) -> str:
    page = deployment.main.get("/", headers=PROXIED).text
    match = re.search(r'href="(/static/css/base\.[0-9a-f]{12}\.css)"', page)
    assert match, "the page does not link a hashed base.css"
    return match[1]


def test_static_files_are_hashed_compressed_and_cached_for_ever(deployment):
    url = stylesheet_url(deployment)
    response = deployment.main.get(url, headers={**PROXIED, "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Cache-Control"] == FOREVER
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    collected = deployment.static_root / url.removeprefix("/static/")
    assert gzip.decompress(response.body) == collected.read_bytes()


def test_a_static_file_under_its_plain_name_is_cached_briefly(deployment):
    response = deployment.main.get("/static/css/base.css", headers=PROXIED)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"


def test_plotly_is_collected_from_the_package_and_served_compressed_for_ever(deployment):
    manifest = json.loads((deployment.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"][f"vendor/{PLOTLY_FILE}"]
    assert re.fullmatch(r"vendor/plotly\.min\.[0-9a-f]{12}\.js", hashed)
    assert (deployment.static_root / hashed).read_bytes() == (PLOTLY_DIR / PLOTLY_FILE).read_bytes()
    response = deployment.main.request(
        "HEAD", f"/static/{hashed}", headers={**PROXIED, "Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.headers["Cache-Control"] == FOREVER
    assert response.headers["Content-Encoding"] == "gzip"
    assert "javascript" in response.headers["Content-Type"]
    size = int(response.headers["Content-Length"])
    assert size == (deployment.static_root / f"{hashed}.gz").stat().st_size
    assert size < (PLOTLY_DIR / PLOTLY_FILE).stat().st_size / 2


def log_in(server: AppServer) -> dict:
    """Log in through the real form, as a browser behind the TLS proxy would."""
    form = server.get("/accounts/login/", headers=PROXIED)
    csrf_cookie = form.cookies()["__Host-csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    body = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    response = server.post(
        "/accounts/login/",
        body=body,
        headers={
            **PROXIED,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"__Host-csrftoken={csrf_cookie['value']}",
            "Origin": f"https://{server.origin}",
        },
    )
    assert response.status == 302, response.text[:500]
    return {"csrf": csrf_cookie, "session": response.cookies()["__Host-sessionid"]}


def test_cookies_are_host_prefixed_secure_and_same_site(deployment):
    cookies = log_in(deployment.main)
    for name in ("csrf", "session"):
        cookie = cookies[name]
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert "domain" not in cookie
    assert cookies["session"]["httponly"] is True


def test_a_session_from_one_app_host_works_on_another(deployment):
    session = log_in(deployment.main)["session"]["value"]
    cookie = {"Cookie": f"__Host-sessionid={session}"}
    on_second = deployment.second.get("/progress/", headers={**PROXIED, **cookie})
    assert on_second.status == 200
    assert USERNAME in on_second.text
    anonymous = deployment.second.get("/progress/", headers=PROXIED)
    assert anonymous.status == 302
    if "REDIS_URL" in deployment.env:
        import redis

        server = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
        prefix = deployment.env["DJANGO_CACHE_KEY_PREFIX"]
        assert list(server.scan_iter(f"{prefix}:*{session}")), "the session is not cached in Redis"


def test_an_oversized_post_gets_the_400_page(deployment):
    response = deployment.main.post(
        "/accounts/signup/",
        body=b"x=" + b"a" * (600 * 1024),
        headers={
            **PROXIED,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "__Host-csrftoken=" + "a" * 32,
            "Origin": f"https://{deployment.main.origin}",
        },
    )
    assert response.status == 400
    assert "That request could not be understood" in response.text


def test_a_post_without_a_csrf_cookie_gets_a_clear_403_page(deployment):
    response = deployment.main.post(
        "/accounts/login/",
        body=b"username=a&password=b",
        headers={**PROXIED, "Content-Type": "application/x-www-form-urlencoded",
                 "Origin": f"https://{deployment.main.origin}"},
    )
    assert response.status == 403
    assert "That form could not be sent" in response.text
    assert_strict_policy(response.headers["Content-Security-Policy"])


def test_restarting_make_serve_keeps_edits_made_in_the_admin(deployment):
    slug = published_course_slugs()[0]
    edited = run_manage(
        "shell", "--no-imports", "-c",
        # As the admin saves it (save() moves updated_at, which the page cache's keys read).
        f"from courses.models import Course; c = Course.objects.get(slug={slug!r}); "
        "c.title = 'Edited in the admin'; c.save()",
        env=deployment.env, timeout=120,
    )
    assert edited.returncode == 0, edited.stderr
    old = deployment.main
    old.stop()
    deployment.main = start_make_serve(
        deployment.env, old.port, old.log_path.with_name("serve-again.log")
    )
    assert "Edited in the admin" in deployment.main.get("/", headers=PROXIED).text
    assert "content/ not reloaded" in deployment.main.log_path.read_text()


def wait_for(server: AppServer, path: str, status: int, within: float) -> list[int]:
    seen = []
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        seen.append(server.get(path, headers=PROXIED).status)
        if seen[-1] == status:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{path} never answered {status} within {within} s: {seen[-10:]}")


def test_health_check_is_503_while_the_database_is_down_and_recovers_by_itself(deployment):
    # Last in this module: it takes the database away. PostgreSQL only: "down" is refusing
    # new connections and ending the open ones, as a restart or failover does.
    if deployment.backend != "postgres":
        pytest.skip("a SQLite file cannot go down")
    admin, name = deployment.pg_admin, deployment.database
    for _ in range(4):  # every worker has opened its persistent connection
        assert deployment.main.get("/", headers=PROXIED).status == 200
    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        statuses = [deployment.main.get("/healthz").status for _ in range(6)]
        assert statuses == [503] * 6
        # A worker serves its kept pages on the content version it read for up to a second
        # (DJANGO_PAGE_CACHE_VERSION_SECONDS); past it the catalog asks the database again.
        time.sleep(1.2)
        page = deployment.main.get("/", headers=PROXIED)
        assert page.status == 500
        assert "Something went wrong" in page.text
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    wait_for(deployment.main, "/healthz", 200, within=15)
    # Every worker is back, with no restart: several requests in a row succeed.
    assert [deployment.main.get("/", headers=PROXIED).status for _ in range(6)] == [200] * 6
    assert deployment.main.process.poll() is None
