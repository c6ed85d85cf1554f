"""The rate limits of accounts/throttling.py: password-reset mail, the log-in ceilings beyond
django-axes's (username, address) pairs, and wrong current passwords on password change.

Time is a ``Clock`` put in place of ``throttling.clock``; addresses are REMOTE_ADDR values.
"""

import secrets
import threading

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from accounts import throttling
from accounts.throttling import (
    LOGIN_FAILURES_PER_CLIENT,
    LOGIN_FAILURES_PER_USERNAME,
    PASSWORD_RESET_PER_CLIENT,
    PASSWORD_RESET_PER_EMAIL,
    WRONG_CURRENT_PASSWORD_PER_ACCOUNT,
    Rule,
)
from tests.clock import Clock
from tests.security.test_cache_and_sessions import REDIS_URL, redis_client

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]



@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(1_800_000_000.0)  # the start of an hour
    monkeypatch.setattr(throttling, "clock", frozen)
    return frozen


def test_the_numbers_are_the_documented_ones():
    assert (PASSWORD_RESET_PER_EMAIL.limit, PASSWORD_RESET_PER_CLIENT.limit) == (3, 10)
    assert (LOGIN_FAILURES_PER_CLIENT.limit, LOGIN_FAILURES_PER_USERNAME.limit) == (50, 20)
    assert WRONG_CURRENT_PASSWORD_PER_ACCOUNT.limit == 5
    rules = (PASSWORD_RESET_PER_EMAIL, PASSWORD_RESET_PER_CLIENT, LOGIN_FAILURES_PER_CLIENT,
             LOGIN_FAILURES_PER_USERNAME, WRONG_CURRENT_PASSWORD_PER_ACCOUNT)  # fmt: skip
    assert {rule.seconds for rule in rules} == {3600}


# --- the counter ------------------------------------------------------------------------------


def test_a_rule_counts_per_person_and_starts_again_in_the_next_window(clock):
    rule = Rule("test", limit=2, seconds=60)
    assert [rule.hit("ann") for _ in range(3)] == [1, 2, 3]
    assert rule.reached("ann") and not rule.reached("bob")
    clock.advance(60)
    assert rule.count("ann") == 0 and rule.hit("ann") == 1


def test_keys_do_not_hold_the_address_or_username_in_the_clear(clock):
    key = Rule("test", limit=1, seconds=60).key("ann@example.com")
    assert "ann" not in key and "example" not in key


@pytest.fixture
def redis_cache():
    """Django's Redis cache on the real server under a prefix of our own (skipped without it)."""
    server = redis_client()
    prefix = f"test-throttling-{secrets.token_hex(6)}"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}  # fmt: skip
    with override_settings(CACHES=caches):
        yield
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_concurrent_hits_are_all_counted(request, backend):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    rule = Rule("test-concurrent", limit=1000, seconds=3600)
    threads = [threading.Thread(target=lambda: [rule.hit("ann") for _ in range(25)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert rule.count("ann") == 200
    cache.close()


# --- password-reset mail ----------------------------------------------------------------------


def ask_reset(client, email, address=ATTACKER):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_three_reset_mails_per_address_an_hour_and_then_the_same_page_but_no_mail(client, learner, mailoutbox, clock):
    responses = [ask_reset(client, learner.email, f"192.0.2.{n}") for n in range(6)]
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, reverse("password_reset_done"))}
    assert len(mailoutbox) == 3
    clock.advance(3600)
    ask_reset(client, learner.email)
    assert len(mailoutbox) == 4


def test_case_and_spaces_do_not_dodge_the_address_limit(client, learner, mailoutbox, clock):
    for email in ("learner@example.com", "LEARNER@example.com", " Learner@Example.COM ", "learner@EXAMPLE.com"):
        ask_reset(client, email)
    assert len(mailoutbox) == 3


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_ten_reset_requests_per_client_address_an_hour_across_addresses(client, make_user, mailoutbox, clock):
    # (Reset mail goes only to accounts with a usable password.)
    people = [make_user(f"person-{n}") for n in range(12)]
    responses = [ask_reset(client, person.email) for person in people[:11]]
    assert {r.status_code for r in responses} == {302}
    assert len(mailoutbox) == 10
    ask_reset(client, people[11].email, address=OTHER_ADDRESS)
    assert len(mailoutbox) == 11
    assert mailoutbox[-1].to == [people[11].email]


def test_a_limited_reset_looks_exactly_like_one_that_sent_mail(client, learner, mailoutbox, clock):
    sent = [ask_reset(client, learner.email) for _ in range(PASSWORD_RESET_PER_EMAIL.limit)][-1]
    held = client.post(reverse("password_reset"), {"email": learner.email}, REMOTE_ADDR=ATTACKER, follow=True)
    assert len(mailoutbox) == PASSWORD_RESET_PER_EMAIL.limit
    assert held.redirect_chain == [(sent["Location"], 302)]
    assert held.status_code == 200 and "Check your email" in held.content.decode()


# --- log-in ceilings --------------------------------------------------------------------------


@pytest.fixture
def axes_on():
    """Log-in throttling on (the suite runs with it off), with a fast hasher for many failures."""
    with override_settings(AXES_ENABLED=True, PASSWORD_HASHERS=FAST_HASHERS):
        yield


def log_in(username, password, address=ATTACKER, url=None):
    return Client().post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.usefixtures("axes_on")
def test_one_address_spraying_many_usernames_is_stopped_at_fifty_failures(learner, password, clock):
    limit = LOGIN_FAILURES_PER_CLIENT.limit
    statuses = [log_in(f"guess-{n}", "Winter2026!").status_code for n in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    refused = log_in(learner.username, password)
    assert refused.status_code == 429
    assert "from your connection" in refused.content.decode()
    assert log_in(learner.username, password, address=OTHER_ADDRESS).status_code == 302
    clock.advance(3600)
    assert log_in(learner.username, password).status_code == 302


@pytest.mark.usefixtures("axes_on")
def test_one_account_guessed_from_many_addresses_is_stopped_at_twenty_failures(learner, make_user, password, clock):
    limit = LOGIN_FAILURES_PER_USERNAME.limit
    statuses = [
        log_in(learner.username, f"wrong-{n}", address=f"192.0.2.{n}").status_code for n in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]
    refused = log_in(learner.username, password, address=OTHER_ADDRESS)
    assert refused.status_code == 429
    assert "to this account" in refused.content.decode()
    other = make_user("colleague")
    assert log_in(other.username, password, address=OTHER_ADDRESS).status_code == 302
    clock.advance(3600)
    assert log_in(learner.username, password, address=OTHER_ADDRESS).status_code == 302


@pytest.mark.usefixtures("axes_on")
def test_changing_the_case_of_the_username_does_not_dodge_the_account_ceiling(learner, clock):
    limit = LOGIN_FAILURES_PER_USERNAME.limit
    variants = [learner.username.upper() if n % 2 else learner.username for n in range(limit)]
    statuses = [log_in(name, "wrong", address=f"192.0.2.{n}").status_code for n, name in enumerate(variants)]
    assert statuses[-1] == 429


@pytest.mark.usefixtures("axes_on")
def test_the_admin_log_in_is_held_to_the_ceilings_too(make_user, password, clock):
    staff = make_user("editor", is_staff=True)
    admin_login = reverse("admin:login")
    for n in range(LOGIN_FAILURES_PER_USERNAME.limit):
        log_in(staff.username, f"wrong-{n}", address=f"192.0.2.{n}", url=admin_login)
    assert log_in(staff.username, password, address=OTHER_ADDRESS, url=admin_login).status_code == 429


def test_with_log_in_throttling_off_the_ceilings_do_not_apply(learner, password, clock):
    for n in range(LOGIN_FAILURES_PER_USERNAME.limit + 1):
        assert log_in(learner.username, f"wrong-{n}", address=f"192.0.2.{n}").status_code == 200
    assert log_in(learner.username, password).status_code == 302


# --- wrong current passwords on password change -----------------------------------------------

NEW_PASSWORD = "Sturdy-reasoning-chain-61"


def change_password(client, old, url=None):
    return client.post(
        url or reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_five_wrong_current_passwords_then_the_change_is_refused_with_429(client, make_user, password, clock):
    user = make_user("ann")
    client.force_login(user)
    limit = WRONG_CURRENT_PASSWORD_PER_ACCOUNT.limit
    wrong = [change_password(client, f"guess-{n}") for n in range(limit)]
    assert {r.status_code for r in wrong} == {200}
    assert "incorrect" in wrong[-1].content.decode()
    refused = change_password(client, password)  # even the right one
    assert refused.status_code == 429
    assert "Too many wrong current passwords" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
    clock.advance(3600)
    assert change_password(client, password).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_admin_password_change_counts_wrong_current_passwords_too(client, make_user, password, clock):
    user = make_user("editor", is_staff=True)
    client.force_login(user)
    url = reverse("admin:password_change")
    for n in range(WRONG_CURRENT_PASSWORD_PER_ACCOUNT.limit):
        change_password(client, f"guess-{n}", url=url)
    refused = change_password(client, password, url=url)
    assert "Too many wrong current passwords" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
