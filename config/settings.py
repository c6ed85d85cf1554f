"""Settings for the course app, read from the environment in one place.

Environment variables (docs/deploy.md explains each, with examples; the README the common ones):
DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_PAGE_CACHE_SECONDS, DJANGO_PAGE_CACHE_VERSION_SECONDS,
DJANGO_PERSONAL_PAGE_SECONDS,
DJANGO_ALLOWED_HOSTS, DJANGO_SITE_URL, DJANGO_CSRF_TRUSTED_ORIGINS,
DATABASE_URL, DATABASE_CONN_MAX_AGE, REDIS_URL, DJANGO_CACHE_KEY_PREFIX,
DJANGO_SECURE_PROXY_SSL_HEADER, DJANGO_SECURE_SSL_REDIRECT, DJANGO_PROXY_COUNT,
DJANGO_STAFF_SESSION_IDLE_MINUTES, DJANGO_STAFF_SESSION_MAX_MINUTES,
DJANGO_LEARNER_SESSION_IDLE_MINUTES, DJANGO_LEARNER_SESSION_MAX_MINUTES,
DJANGO_STATIC_ROOT, DJANGO_AXES_ENABLED, DJANGO_EMAIL_BACKEND, DJANGO_EMAIL_HOST,
DJANGO_EMAIL_PORT, DJANGO_EMAIL_USER, DJANGO_EMAIL_PASSWORD, DJANGO_EMAIL_USE_TLS,
DJANGO_EMAIL_USE_SSL, DJANGO_DEFAULT_FROM_EMAIL, DJANGO_TASKS_BACKEND, DJANGO_LOG_LEVEL,
DJANGO_BENCHMARK_ENDPOINTS, DJANGO_TEAM_FIGURES_SERVE_STALE, CERTIFICATE_SIGNING_KEY,
CERTIFICATE_SIGNING_KEY_FILE; DJANGO_TEST_DB_NAME in tests only.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    # Development only: a key that is obviously not a secret and never used with debug off.
    SECRET_KEY = "insecure-development-key-debug-only-" + "x" * 32

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    # Otherwise every request would get a bare 400 with no hint of why.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Set it to the comma-separated host names the site "
        "is served under, e.g. courses.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")


def site_url_from_env() -> str:
    """The site's public address, ``scheme://host[:port]``: links in mail and on pages use it.

    Never the request's Host header, which a client chooses (a port, or any allowed host).
    DJANGO_SITE_URL if set; with debug on http://127.0.0.1:8000; with debug off
    https://<the first allowed host>, unless that is a pattern (".example.org", "*"), which
    names no single site: then start-up fails and asks for DJANGO_SITE_URL.
    """
    url = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
    if not url and DEBUG:
        url = "http://127.0.0.1:8000"
    elif not url:
        first = ALLOWED_HOSTS[0]
        if first.startswith(".") or "*" in first:
            raise ImproperlyConfigured(
                f"DJANGO_SITE_URL is not set, and the first of DJANGO_ALLOWED_HOSTS ({first}) "
                "is a pattern, not a host. Set DJANGO_SITE_URL to the site's public address, "
                "e.g. https://courses.example.org."
            )
        url = f"https://{first}"
    parts = urlsplit(url)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL must be scheme://host[:port] with nothing after it, e.g. "
            f"https://courses.example.org; got {url!r}."
        )
    return url


SITE_URL = site_url_from_env()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    # Background tasks kept in the database (manage.py db_worker) and their cron schedule
    # (manage.py crontask): the reminders and digests of notifications/tasks.py.
    "django_tasks_db",
    "crontask",
    # Ours, from the base layer up (README.md, "Layout", gives what may import what).
    "core",
    "accounts",
    "courses",
    "lessons",
    "matrix",
    "quizzes",
    "practice",
    "review",
    "certificates",
    "progress",
    "notifications",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.refuse_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed) and above everything that reads or
    # writes the body, so it compresses last; pages with a secret stay plain (config/compression.py).
    "config.compression.CompressionMiddleware",
    # After a request that may have written (a POST in the admin), shared pages read the
    # content version afresh (config/page_cache.py, recent_content_version).
    "config.page_cache.content_version_after_writes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends sessions past their idle or absolute limit (accounts/sessions.py).
    "accounts.sessions.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.security.personal_pages_not_stored",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Answers a log-in refused by the account or address ceilings (accounts/throttling.py).
    "accounts.throttling.login_ceiling_middleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                # After csrf (built in) and csp: while a page is rendered for the page cache,
                # its token and nonce are placeholders (config/page_cache.py).
                "config.page_cache.placeholders",
                # The header's count of due reviews: lazy, and cached per learner.
                "review.context_processors.review_summary",
                # The header's link to the team pages: lazy, and cached per person.
                "progress.context_processors.team_link",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database, as Django's SQLite notes advise for a site with concurrent
    # writers (PostgreSQL keeps its own defaults). WAL lets readers go on while one connection
    # writes (a rollback journal blocks them for the write's length); synchronous=NORMAL is
    # safe with WAL (a power cut may lose the last commits, never corrupt the file) and spares
    # an fsync per commit. IMMEDIATE takes the write lock when a transaction begins, so two
    # transactions that read and then write wait their turn in the busy handler instead of one
    # failing at once with "database is locked" (a deferred transaction cannot wait for a lock
    # it must upgrade). "timeout" is that wait, in seconds: well under gunicorn's 30 s.
    # The tests run on the same OPTIONS; their in-memory database cannot be in WAL mode
    # (SQLite keeps journal_mode=memory there), so tests/config/test_sqlite.py opens a file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

if os.environ.get("DJANGO_TEST_DB_NAME"):
    # Lets several test runs share one PostgreSQL server without colliding.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Lets several deployments share one Redis without reading each other's keys.
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", ""),
        }
    }
    CACHES["personal"] = CACHES["default"]
    # Several app hosts share sessions through the database, with Redis in front.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Learners' own pages (config/personal_pages.py), apart so that they never push the
        # shared pages and team figures out of the default cache's 300 entries.
        "personal": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "personal",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }
    # Sessions live in the database (Django's default engine), which every app host shares.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"



def env_minutes(name: str, default: int) -> int:
    """A positive number of minutes from the environment, in seconds."""
    minutes = int(os.environ.get(name) or default)
    if minutes <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of minutes.")
    return minutes * 60


# Session limits (accounts/sessions.py): staff are logged out after 2 hours without a request
# or 12 hours after logging in; everyone else after 7 days idle or 30 days.
STAFF_SESSION_IDLE_SECONDS = env_minutes("DJANGO_STAFF_SESSION_IDLE_MINUTES", 2 * 60)
STAFF_SESSION_MAX_SECONDS = env_minutes("DJANGO_STAFF_SESSION_MAX_MINUTES", 12 * 60)
LEARNER_SESSION_IDLE_SECONDS = env_minutes("DJANGO_LEARNER_SESSION_IDLE_MINUTES", 7 * 24 * 60)
LEARNER_SESSION_MAX_SECONDS = env_minutes("DJANGO_LEARNER_SESSION_MAX_MINUTES", 30 * 24 * 60)
# "Last seen" is saved at most this often, not on every request.
SESSION_ACTIVITY_WRITE_SECONDS = 5 * 60
# The cookie never outlives the longest absolute limit (each log-in sets its own, shorter
# for staff); the middleware enforces the limits whatever the cookie says.
SESSION_COOKIE_AGE = max(STAFF_SESSION_MAX_SECONDS, LEARNER_SESSION_MAX_SECONDS)

# Pages every anonymous reader sees alike (config/page_cache.py), for at most this many
# seconds; 0 turns the cache off, the default with debug on so template edits show at once.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS") or (0 if DEBUG else 600))
# How long a process uses the content version it read for a shared page before reading it
# again (page_cache.recent_content_version): an edit shows at once in the process that saved
# it and within this many seconds in the others; 0 reads it for every page.
PAGE_CACHE_VERSION_SECONDS = float(os.environ.get("DJANGO_PAGE_CACHE_VERSION_SECONDS") or 1)
# A signed-in learner's own pages (config/personal_pages.py) are kept until something they
# show changes, and for at most this many seconds (what only the clock changes, such as a
# review card falling due, is that much behind); 0 turns it off, the default with debug on.
PERSONAL_PAGE_SECONDS = int(
    os.environ.get("DJANGO_PERSONAL_PAGE_SECONDS") or (0 if DEBUG else 60)
)
# What a cached page may show: an edit to any of these (a changed updated_at, or a row added
# or removed) gives every cached page a new key.
PAGE_CACHE_CONTENT = [
    "courses.Course",
    "lessons.Lesson",
    "lessons.Objective",
    "quizzes.Quiz",
    "quizzes.Question",
    "matrix.DecisionMatrix",
    "practice.Block",
]
# The Ed25519 private key (PEM) that signs certificates' Open Badges credentials and their
# revocation list, or a file holding it (certificates/signing.py). Required with debug off (a
# system check says so); with debug on and neither set, a development key is made once in
# CERTIFICATE_DEV_KEY_FILE, which git ignores.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_KEY_FILE = os.environ.get("CERTIFICATE_SIGNING_KEY_FILE", "")
CERTIFICATE_DEV_KEY_FILE = BASE_DIR / ".certificate-dev-key.pem"
# Whether a team dashboard may show figures from before the team's latest activity (saying so)
# while newer ones are worked out after its response (progress/selectors/team_cache.py). On
# in production; off with debug, so the tests and `make run` always show the newest.
TEAM_FIGURES_SERVE_STALE = env_bool("DJANGO_TEAM_FIGURES_SERVE_STALE", not DEBUG)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses log-ins past the per-address and per-username ceilings (accounts/throttling.py).
    "accounts.throttling.LoginCeilingBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:catalog"
LOGOUT_REDIRECT_URL = "courses:catalog"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Serves vendor/plotly.min.js from the installed plotly package, and nothing else of it.
    "config.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# WhiteNoise serves files whose names carry a content hash (every URL that {% static %} gives
# with the manifest storage) as "max-age=315360000, public, immutable". Files asked for by their
# plain name keep its default of 60 seconds, so an upgrade is never hidden behind a stale cache.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
        ),
    }
}
if MAILERS["default"]["BACKEND"] == SMTP_BACKEND:
    # With MAILERS, the SMTP backend takes its server from OPTIONS (it requires "host").
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT") or 0) or None,  # None: 25, 587 or 465
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL"),
        # A mail server that hangs must not hold a web worker until gunicorn kills it.
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "courses@localhost")

# Background work (notifications/tasks.py) goes through Django's tasks framework. "database"
# keeps each task in the database until a `manage.py db_worker` process runs it (the default
# with debug off; `make run` starts one); "immediate" runs it at once in the process that
# enqueues it, with no worker (the default with debug on, so the tests and a bare runserver
# need none). docs/deploy.md has the worker and the scheduler.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}; got {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# The cron scheduler (`manage.py crontask`) takes a lock in Redis when there is one, so that
# only one of several scheduler processes (one per host) enqueues each run.
CRONTASK = {"REDIS_URL": REDIS_URL or None}

# Requests larger than this are refused with a 400 before any view runs. The first upload
# handler applies the same limit to multipart bodies, whose file parts Django does not count.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_HANDLERS = [
    "config.security.RefuseOversizedUploads",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Security headers. The strict parts apply with debug off; `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix binds the cookies to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
proxy_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "")
if proxy_header:
    # For example "HTTP_X_FORWARDED_PROTO=https" behind a TLS-terminating proxy.
    header, _, value = proxy_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (header.strip(), value.strip() or "https")
# /healthz is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Login throttling: 10 failures for one username from one address within 15 minutes. Broader
# ceilings (per address across usernames, per username across addresses), the password-reset
# and password-change limits are rules in accounts/throttling.py, counted in the cache.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
# The number of trusted proxies (load balancer, CDN) in front of the app: axes then takes the
# client's address from X-Forwarded-For instead of the proxy's (see config/security.py).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"

# A trivial view through the whole middleware stack, for `make bench` only.
BENCHMARK_ENDPOINTS = env_bool("DJANGO_BENCHMARK_ENDPOINTS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
