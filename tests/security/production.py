"""The documented production environment, and the settings it produces, for security tests.

``production_env()`` is the environment that docs/deploy.md documents (debug off, a long random
secret key, the allowed hosts, behind a TLS proxy) on top of the current one.
``production_settings()`` imports config.settings in a fresh interpreter with that environment
and returns the security-relevant settings, so in-process tests can apply exactly what
production gets with ``override_settings(**production_settings())`` instead of a hand-kept copy.
"""

import json
import os
import secrets
import subprocess
import sys
from functools import cache
from pathlib import Path

from certificates.signing import new_key_pem

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
HOST = "courses.example.org"
PROXY_HEADER = "HTTP_X_FORWARDED_PROTO=https"

# Settings that decide headers, cookies, redirects and the policy; STORAGES is left out on
# purpose (the manifest storage needs collectstatic, which the gunicorn test covers).
SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CSP",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
]
TUPLE_SETTINGS = {"SECURE_PROXY_SSL_HEADER"}

DUMP_SETTINGS = """
import json, sys
import django
from django.conf import settings
django.setup()
names = json.loads(sys.argv[1])
json.dump({name: getattr(settings, name) for name in names}, sys.stdout)
"""


def production_env(**extra: str) -> dict[str, str]:
    """The current environment with debug off and the documented production variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CERTIFICATE_")) or key == "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_PROXY_SSL_HEADER=PROXY_HEADER,
        # Required with debug off (certificates/signing.py): a fresh Ed25519 key.
        CERTIFICATE_SIGNING_KEY=new_key_pem().decode(),
    )
    env.update(extra)
    return env


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_settings(names: list[str], env: dict[str, str]) -> dict:
    """The values of settings ``names`` that config.settings gives under ``env``."""
    result = subprocess.run(
        [PYTHON, "-c", DUMP_SETTINGS, json.dumps(names)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@cache
def production_settings() -> dict:
    """The security settings that config.settings gives under ``production_env()``."""
    values = read_settings(SECURITY_SETTINGS, production_env())
    for name in TUPLE_SETTINGS:
        if values[name] is not None:
            values[name] = tuple(values[name])
    return values
