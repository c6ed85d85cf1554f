"""Absolute links come from SITE_URL (accounts/links.py), never from the request's Host.

In-process tests send a hostile Host (another allowed name, or an allowed name with another
port, which ALLOWED_HOSTS ignores); settings tests read config.settings in a fresh interpreter
with the production environment.
"""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_person, make_team
from tests.security.production import HOST, production_env, read_settings, run_manage

SITE = "https://courses.example.org"
# An allowed name the attacker also controls, and the real name with the attacker's port.
HOSTILE_HOSTS = ["evil.example:8443", "courses.example.org:8443"]


@pytest.fixture
def hostile_site():
    with override_settings(
        SITE_URL=SITE, ALLOWED_HOSTS=["courses.example.org", "evil.example", "testserver"]
    ):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("hostile_site")
@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_the_reset_mail_links_to_the_configured_site_whatever_the_host(client, learner, mailoutbox, host):
    response = client.post(reverse("password_reset"), {"email": learner.email}, HTTP_HOST=host)
    assert response.status_code == 302
    (mail,) = mailoutbox
    links = re.findall(r"\S+/accounts/reset/\S+", mail.body)
    assert links and all(link.startswith(f"{SITE}/accounts/reset/") for link in links)
    assert "evil.example" not in mail.body and ":8443" not in mail.body + mail.subject


@pytest.mark.django_db
@pytest.mark.usefixtures("hostile_site")
@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_invite_links_on_the_members_page_and_dashboard_use_the_configured_site(client, host):
    manager = make_person(username="mona")
    team = make_team(managers=[manager])
    client.force_login(manager)
    expected = f'value="{SITE}{team.get_invite_path()}"'
    for url in (reverse("teams:members", kwargs={"team": team.slug}), team.get_absolute_url()):
        body = client.get(url, HTTP_HOST=host).content.decode()
        assert expected in body, url
        assert "evil.example" not in body and ":8443" not in body


def site_url(**env):
    return read_settings(["SITE_URL"], production_env(**env))["SITE_URL"]


def test_with_debug_off_the_site_url_defaults_to_https_on_the_first_allowed_host():
    assert site_url() == f"https://{HOST}"
    assert site_url(DJANGO_ALLOWED_HOSTS="a.example.org,b.example.org") == "https://a.example.org"


def test_an_explicit_site_url_wins_and_loses_its_trailing_slash():
    assert site_url(DJANGO_SITE_URL="https://learn.example.org:8443/") == "https://learn.example.org:8443"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": ".example.org"}, "is a pattern"),
        ({"DJANGO_SITE_URL": "courses.example.org"}, "must be scheme://host"),
        ({"DJANGO_SITE_URL": "https://courses.example.org/app"}, "must be scheme://host"),
        ({"DJANGO_SITE_URL": "javascript://x"}, "must be scheme://host"),
    ],
)
def test_start_up_fails_clearly_without_a_usable_site_url(env, message):
    result = run_manage("check", env=production_env(**env))
    assert result.returncode != 0
    assert message in result.stderr


def test_the_deploy_check_warns_about_a_plain_http_site_url():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=production_env(DJANGO_SITE_URL="http://courses.example.org"),
    )
    assert result.returncode != 0
    assert "accounts.W001" in result.stdout + result.stderr
