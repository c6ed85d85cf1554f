"""Regression (issue 8, found by tests/security/test_fuzz.py): a ``next`` that is not a path.

``next=abc`` passed the host check, and ``redirect("abc")`` then tried to reverse it as a view
name and failed: a 500 on sign-up and on renewing an invite link. Only absolute paths on this
site are followed now; anything else goes to the default page.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.factories import make_team

pytestmark = pytest.mark.django_db
NOT_PATHS = ["abc", "a b", "courses:catalog", "progress", "\u00e9t\u00e9"]


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Every test here makes an account; the deliberately slow hasher is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("value", NOT_PATHS)
def test_sign_up_ignores_a_next_that_is_not_a_path(client, value):
    data = {
        "username": "newcomer", "email": "newcomer@example.com",
        "password1": "Clinical-reasoning-2026!", "password2": "Clinical-reasoning-2026!",
        "next": value,
    }  # fmt: skip
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:catalog")


@pytest.mark.parametrize("value", NOT_PATHS)
def test_a_logged_in_visit_to_sign_up_ignores_a_next_that_is_not_a_path(learner_client, value):
    response = learner_client.get(reverse("accounts:signup"), {"next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:catalog")


@pytest.mark.parametrize("value", NOT_PATHS)
def test_renewing_an_invite_ignores_a_next_that_is_not_a_path(client, make_user, value):
    manager = make_user("manager")
    team = make_team()
    Membership.objects.create(team=team, user=manager, role=Membership.Role.MANAGER)
    client.force_login(manager)
    response = client.post(reverse("teams:renew_invite", kwargs={"team": team.slug}), {"next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:members", kwargs={"team": team.slug})
