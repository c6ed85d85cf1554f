"""`manage.py check --deploy` with the documented production environment, in a subprocess."""

from .production import production_env, run_manage

DEPLOY_CHECK = ("check", "--deploy", "--fail-level", "WARNING")


def test_deploy_check_is_clean_with_the_documented_environment():
    result = run_manage(*DEPLOY_CHECK, env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_is_clean_without_a_proxy_header():
    env = production_env()
    del env["DJANGO_SECURE_PROXY_SSL_HEADER"]
    result = run_manage(*DEPLOY_CHECK, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_on_a_weak_secret_key():
    # Proves the check above can fail: a short key is a warning, and warnings fail.
    result = run_manage(*DEPLOY_CHECK, env=production_env(DJANGO_SECRET_KEY="too-short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_deploy_check_fails_when_the_ssl_redirect_is_turned_off():
    result = run_manage(*DEPLOY_CHECK, env=production_env(DJANGO_SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_start_up_without_allowed_hosts_fails_clearly_with_debug_off():
    env = production_env()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_deploy_check_fails_without_a_certificate_signing_key():
    env = production_env()
    del env["CERTIFICATE_SIGNING_KEY"]
    result = run_manage(*DEPLOY_CHECK, env=env)
    assert result.returncode != 0
    assert "certificates.E001" in result.stderr + result.stdout
