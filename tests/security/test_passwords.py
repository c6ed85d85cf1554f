"""Passwords: the validators everywhere a password is chosen, log-in errors that reveal nothing,
and password reset that does not tell whether an address has an account.

tests/accounts/test_signup.py covers sign-up's validators, the unknown-user/wrong-password
message and the reset redirect; these tests cover the other doors and the rendered pages.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db
COMMON = "password123"  # in Django's list of 20,000 common passwords
STRONG = "Sturdy-reasoning-chain-61"


def validator_names():
    return [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]


def test_all_four_validators_are_configured():
    assert validator_names() == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        (COMMON, "too common"),
        ("Qwerty123", "too common"),
        ("73925816", "entirely numeric"),
        ("Ab3-x", "too short"),
    ],
)
def test_validators_refuse_weak_passwords_with_a_reason(candidate, message):
    with pytest.raises(ValidationError) as error:
        validate_password(candidate)
    assert any(message in text for text in error.value.messages)


def test_validators_accept_a_long_uncommon_passphrase():
    validate_password(STRONG)


def test_password_change_refuses_a_common_password(learner_client, learner, password):
    response = learner_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": COMMON, "new_password2": COMMON},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(password)


def test_password_reset_confirm_refuses_a_common_password(client, learner, password, mailoutbox):
    client.post(reverse("password_reset"), {"email": learner.email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body)[1]
    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": COMMON, "new_password2": COMMON})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(password)
    # The same link still works with a good password, and then never again.
    response = client.post(set_password_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(STRONG)
    assert client.get(link, follow=True).context["validlink"] is False


def test_a_forged_reset_link_gets_a_clear_page_not_an_error(client, learner):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"})
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False


def login_error(client, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    errors = re.findall(r'<div class="form-errors".*?</div>|<ul class="errorlist.*?</ul>',
                        response.content.decode(), re.S)
    assert errors, "no error shown"
    return errors


def test_the_log_in_page_shows_the_same_error_for_unknown_wrong_and_inactive(client, make_user, password):
    make_user("active")
    make_user("dormant", is_active=False)
    unknown = login_error(client, "nobody", password)
    wrong = login_error(client, "active", "not-the-password-1")
    inactive = login_error(client, "dormant", password)
    assert unknown == wrong == inactive
    assert "inactive" not in " ".join(inactive).lower()


def test_password_reset_pages_are_identical_for_known_and_unknown_addresses(client, learner, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": learner.email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "no-one@example.com"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain

    def main(response):
        return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]

    assert main(known) == main(unknown)
    assert len(mailoutbox) == 1


def test_password_reset_sends_nothing_to_an_inactive_account(client, make_user, mailoutbox):
    make_user("dormant", is_active=False)
    response = client.post(reverse("password_reset"), {"email": "dormant@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_a_malformed_reset_address_is_a_form_error_not_a_crash(client):
    response = client.post(reverse("password_reset"), {"email": "not an address\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors
