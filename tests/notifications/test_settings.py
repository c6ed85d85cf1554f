"""The task and mail settings (config/settings.py) under the production environment and others."""

import subprocess

import pytest

from tests.security.production import PYTHON, ROOT, production_env, read_settings

DATABASE = "django_tasks_db.DatabaseBackend"
IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"


def test_production_queues_tasks_in_the_database_for_the_worker():
    found = read_settings(["TASKS", "CRONTASK", "INSTALLED_APPS"], production_env())
    assert found["TASKS"] == {"default": {"BACKEND": DATABASE}}
    assert found["CRONTASK"] == {"REDIS_URL": None}
    assert {"django_tasks_db", "crontask", "notifications"} <= set(found["INSTALLED_APPS"])


def test_several_hosts_lock_the_scheduler_in_redis():
    env = production_env(REDIS_URL="redis://cache.internal:6379/0")
    assert read_settings(["CRONTASK"], env)["CRONTASK"] == {"REDIS_URL": "redis://cache.internal:6379/0"}


@pytest.mark.parametrize(("env", "backend"), [
    ({"DJANGO_DEBUG": "1"}, IMMEDIATE),
    ({"DJANGO_DEBUG": "1", "DJANGO_TASKS_BACKEND": "database"}, DATABASE),
    ({"DJANGO_TASKS_BACKEND": "immediate"}, IMMEDIATE),
])  # fmt: skip
def test_the_backend_follows_debug_unless_told(env, backend):
    assert read_settings(["TASKS"], production_env(**env))["TASKS"]["default"]["BACKEND"] == backend


def test_an_unknown_backend_stops_start_up_with_the_choices():
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()"], cwd=ROOT, capture_output=True, text=True,
        env=production_env(DJANGO_TASKS_BACKEND="celery"), timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND must be one of database, immediate; got 'celery'" in result.stderr
