"""Log-in throttling with django-axes: 10 failures for one username from one address in 15 minutes.

The suite runs with DJANGO_AXES_ENABLED=0 (pyproject.toml); every test here turns axes on. Its
failure records live in the database, so each test starts from none and rolls back.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.security import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]
LIMIT = 10
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"
LOCKED_MESSAGE = "Too many failed log-in attempts"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def axes_on(settings):
    from django.conf import settings as live

    assert live.AXES_FAILURE_LIMIT == LIMIT and live.AXES_COOLOFF_TIME == 0.25
    # A fast hasher (for users made in these tests too): a hundred failed log-ins with the
    # production hasher take a minute, and throttling does not depend on the hash.
    with override_settings(AXES_ENABLED=True, PASSWORD_HASHERS=FAST_HASHERS):
        AccessAttempt.objects.all().delete()
        yield


def log_in(client, username, password, address=ATTACKER, url=None, **extra):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, username, times, address=ATTACKER, **extra):
    return [
        log_in(client, username, f"wrong-guess-{n}", address, **extra).status_code
        for n in range(times)
    ]


def test_nine_failures_show_the_form_again(client, learner):
    assert fail(client, learner.username, LIMIT - 1) == [200] * (LIMIT - 1)


def test_the_tenth_failure_locks_the_username_from_that_address(client, learner):
    statuses = fail(client, learner.username, LIMIT)
    assert statuses == [200] * (LIMIT - 1) + [429]


def test_once_locked_even_the_right_password_is_refused_with_a_clear_message(client, learner, password):
    fail(client, learner.username, LIMIT)
    response = log_in(client, learner.username, password)
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED_MESSAGE in body
    assert "15 minutes" in body
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_a_full_page_with_the_site_layout(client, learner):
    fail(client, learner.username, LIMIT)
    response = log_in(client, learner.username, "again-wrong")
    assert response.status_code == 429
    assert "text/html" in response["Content-Type"]
    assert '<main id="main"' in response.content.decode()


def test_the_same_username_from_another_address_is_not_blocked(client, learner, password):
    fail(client, learner.username, LIMIT)
    response = log_in(client, learner.username, password, address=OTHER_ADDRESS)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_another_username_from_the_same_address_is_not_blocked(client, learner, make_user, password):
    fail(client, learner.username, LIMIT)
    other = make_user("colleague")
    response = log_in(client, other.username, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_an_unknown_username_is_throttled_the_same_way(client):
    # No difference in behaviour that would reveal whether the account exists.
    assert fail(client, "nobody-here", LIMIT)[-1] == 429


def test_the_lock_lifts_after_fifteen_minutes(client, learner, password):
    fail(client, learner.username, LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, learner.username, password)
    assert response.status_code == 302


def test_failures_older_than_fifteen_minutes_do_not_count(client, learner):
    fail(client, learner.username, LIMIT - 1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert fail(client, learner.username, 1) == [200]


def test_a_success_before_the_limit_resets_the_count(client, learner, password):
    fail(client, learner.username, LIMIT - 1)
    assert log_in(client, learner.username, password).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, learner.username, LIMIT - 1) == [200] * (LIMIT - 1)


def test_the_admin_log_in_is_throttled_too(client, make_user, password):
    staff = make_user("editor", is_staff=True)
    admin_login = reverse("admin:login")
    statuses = [
        log_in(client, staff.username, f"wrong-{n}", url=admin_login).status_code
        for n in range(LIMIT)
    ]
    assert statuses[-1] == 429
    assert log_in(client, staff.username, password, url=admin_login).status_code == 429


# Behind a load balancer (DJANGO_PROXY_COUNT=1) the address comes from X-Forwarded-For.
LOAD_BALANCER = "10.0.0.2"


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(client, learner, password):
    fail(client, learner.username, LIMIT, address=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = log_in(client, learner.username, password, LOAD_BALANCER, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    other = log_in(
        client, learner.username, password, LOAD_BALANCER, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS
    )
    assert other.status_code == 302


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lock(client, learner):
    # The client prepends made-up addresses; the proxy appends the real one, which is used.
    statuses = [
        log_in(
            client, learner.username, f"wrong-{n}", LOAD_BALANCER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
        ).status_code
        for n in range(LIMIT)
    ]
    assert statuses[-1] == 429


class FakeRequest:
    def __init__(self, remote_addr, forwarded_for=None):
        self.META = {"REMOTE_ADDR": remote_addr}
        if forwarded_for is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded_for


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "1.2.3.4", "203.0.113.7"),  # no proxy: the header is ignored
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # fewer hops than proxies: distrust
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", " , ", "10.0.0.2"),
    ],
)
def test_client_ip_trusts_only_the_configured_number_of_proxies(proxies, remote, forwarded, expected):
    with override_settings(PROXY_COUNT=proxies):
        assert client_ip(FakeRequest(remote, forwarded)) == expected
