"""The cache and sessions for several app hosts: Redis when REDIS_URL is set, the database always.

Settings are read in a fresh interpreter with and without REDIS_URL; the behaviour is then
checked in-process against the real Redis on 127.0.0.1:6379 (skipped when it is not running),
under a key prefix of our own so that nothing else's keys are touched.
"""

import json
import secrets
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from .production import PYTHON, ROOT, production_env

REDIS_URL = "redis://127.0.0.1:6379/0"
SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"cache": settings.CACHES["default"], "sessions": settings.SESSION_ENGINE}))
"""


def settings_with(**env):
    result = subprocess.run(
        [PYTHON, "-c", SHOW], cwd=ROOT, env=production_env(**env), capture_output=True,
        text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_the_cache_is_local_memory_and_sessions_use_the_database():
    found = settings_with(REDIS_URL="")
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["sessions"] == "django.contrib.sessions.backends.db"


def test_with_redis_the_cache_is_redis_and_sessions_are_cached_in_front_of_the_database():
    found = settings_with(REDIS_URL=REDIS_URL, DJANGO_CACHE_KEY_PREFIX="courses-prod")
    assert found["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "courses-prod",
    }
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"


def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return client


@pytest.fixture
def redis_cache():
    """Django's Redis cache on the real server, with a prefix of our own, cleaned up after."""
    server = redis_client()
    prefix = f"test-security-{secrets.token_hex(6)}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(
        CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        yield server, prefix
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def test_the_redis_cache_round_trips_values(redis_cache):
    server, prefix = redis_cache
    cache.set("answer", {"value": 42}, timeout=30)
    assert cache.get("answer") == {"value": 42}
    assert any(key.startswith(prefix.encode()) for key in server.scan_iter(f"{prefix}:*"))
    assert cache.add("answer", "other") is False
    cache.set("hits", 1)
    assert cache.incr("hits") == 2


@pytest.mark.django_db
def test_a_session_is_stored_in_redis_and_in_the_database(redis_cache, learner, password):
    server, prefix = redis_cache
    host_a = Client()
    assert host_a.post(
        reverse("login"), {"username": learner.username, "password": password}
    ).status_code == 302
    session_key = host_a.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    assert list(server.scan_iter(f"{prefix}:*{session_key}"))

    # Another app host only has the cookie: it finds the session through the shared stores.
    host_b = Client()
    host_b.cookies["sessionid"] = session_key
    assert host_b.get(reverse("progress:mine")).status_code == 200


@pytest.mark.django_db
def test_a_session_survives_losing_the_cache(redis_cache, learner, password):
    server, prefix = redis_cache
    client = Client()
    client.post(reverse("login"), {"username": learner.username, "password": password})
    server.delete(*server.scan_iter(f"{prefix}:*"))  # Redis restarted or evicted the key
    assert client.get(reverse("progress:mine")).status_code == 200


@pytest.mark.django_db
def test_logging_out_ends_the_session_in_both_stores(redis_cache, learner, password):
    server, prefix = redis_cache
    client = Client()
    client.post(reverse("login"), {"username": learner.username, "password": password})
    session_key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not list(server.scan_iter(f"{prefix}:*{session_key}"))
    stale = Client()
    stale.cookies["sessionid"] = session_key
    response = stale.get(reverse("progress:mine"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
