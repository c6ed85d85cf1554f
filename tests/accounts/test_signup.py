"""Sign-up (with the display name it asks for), log-in and log-out through Django's test client."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError
from django.urls import reverse

from accounts import views
from accounts.models import Profile
from accounts.services import create_account
from tests.html import elements

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(**overrides):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": "Clinical-reasoning-2026!",
        "password2": "Clinical-reasoning-2026!",
    }
    data.update(overrides)
    return data


def test_signup_with_good_input_logs_the_user_in_and_goes_to_the_catalog(client):
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:catalog")
    user = User.objects.get(username="newcomer")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_follows_a_local_next(client):
    response = client.post(reverse("accounts:signup") + "?next=/progress/", signup_data())
    assert response["Location"] == "/progress/"


def test_signup_refuses_an_external_next(client):
    data = signup_data(next="https://evil.example/steal")
    response = client.post(reverse("accounts:signup"), data)
    assert response["Location"] == reverse("courses:catalog")


def test_signup_with_a_taken_username_shows_the_error_and_creates_nobody(client, make_user):
    make_user("newcomer")
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="newcomer").count() == 1
    assert "_auth_user_id" not in client.session


def test_signup_with_mismatched_passwords_shows_the_error_and_creates_nobody(client):
    response = client.post(reverse("accounts:signup"), signup_data(password2="Something-else-2026!"))
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("weak", ["password", "12345678", "short1", "newcomer123"])
def test_signup_with_a_weak_password_shows_the_error_and_creates_nobody(client, weak):
    response = client.post(reverse("accounts:signup"), signup_data(password1=weak, password2=weak))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()
    # The error is rendered next to the field, not only in the context.
    assert 'class="errorlist"' in response.content.decode()


def test_signup_requires_an_email(client):
    response = client.post(reverse("accounts:signup"), signup_data(email=""))
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_signup_page_labels_every_field(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    for field in ("id_username", "id_email", "id_password1", "id_password2"):
        assert f'for="{field}"' in body


def test_logout_by_get_does_not_log_out(learner_client):
    response = learner_client.get(reverse("logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in learner_client.session


def test_logout_by_post_logs_out(learner_client):
    response = learner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in learner_client.session


def test_login_refuses_an_external_next(client, learner, password):
    response = client.post(
        reverse("login") + "?next=https://evil.example",
        {"username": "learner", "password": password, "next": "https://evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:catalog")


def test_login_follows_a_local_next(client, learner, password):
    response = client.post(
        reverse("login"), {"username": "learner", "password": password, "next": "/progress/"}
    )
    assert response["Location"] == "/progress/"


def test_login_gives_the_same_message_for_unknown_user_and_wrong_password(client, learner):
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "x-wrong-pass"})
    wrong = client.post(reverse("login"), {"username": "learner", "password": "x-wrong-pass"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_password_change_works(learner_client, learner, password):
    response = learner_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Another-strong-phrase-77",
            "new_password2": "Another-strong-phrase-77",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("Another-strong-phrase-77")


def test_password_reset_sends_mail_only_to_known_addresses_and_says_the_same(client, learner, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "learner@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["learner@example.com"]


# --- the display name asked at sign-up ------------------------------------------------------


def test_signup_asks_for_a_display_name_after_the_username(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    (label,) = elements(body, "label", for_="id_display_name")
    assert label.text == "Your name, as your team sees it"
    assert elements(body, "input", id="id_display_name", maxlength="150", autocomplete="name")
    assert not elements(body, "input", id="id_display_name", required=True)
    assert body.index('for="id_username"') < body.index('for="id_display_name"') < body.index('for="id_email"')


def test_signup_stores_the_display_name_and_welcomes_them_by_it(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(display_name="  Amira Haddad  "), follow=True
    )
    user = User.objects.get(username="newcomer")
    assert Profile.objects.get(user=user).display_name == "Amira Haddad"
    body = response.content.decode()
    assert "Welcome, Amira Haddad. Your account is ready." in body
    assert "Signed in as <strong>Amira Haddad</strong>" in body


def test_signup_without_a_display_name_uses_the_username(client):
    response = client.post(reverse("accounts:signup"), signup_data(), follow=True)
    user = User.objects.get(username="newcomer")
    assert Profile.objects.get(user=user).display_name == ""
    assert "Welcome, newcomer. Your account is ready." in response.content.decode()


def test_a_display_name_over_the_limit_is_refused_and_creates_nobody(client):
    too_long = "x" * (Profile.DISPLAY_NAME_MAX_LENGTH + 1)
    response = client.post(reverse("accounts:signup"), signup_data(display_name=too_long))
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


def test_the_user_and_the_profile_are_created_together_or_not_at_all(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("the profile could not be written")

    monkeypatch.setattr(Profile.objects, "create", refuse)
    with pytest.raises(DatabaseError):
        create_account(username="newcomer", email="n@example.com", password="x-Long-pass-99", display_name="N")
    assert not User.objects.filter(username="newcomer").exists()


def test_a_username_taken_between_the_check_and_the_insert_is_a_form_error(client, monkeypatch):
    def taken(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: auth_user.username")

    monkeypatch.setattr(views, "create_account", taken)
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["A user with that username already exists."]
    assert "_auth_user_id" not in client.session
