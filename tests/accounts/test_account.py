"""The account page (accounts:account): one's display name and email address, and the name the
header shows on every page, kept in the session so that naming the person costs no query."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts import throttling
from accounts.forms import AccountForm
from accounts.models import Profile
from accounts.services import update_account
from accounts.sessions import DISPLAY_NAME
from benchmarks.budgets import queries as budget
from review.selectors import summary as review_summary
from tests.html import elements

pytestmark = pytest.mark.django_db
ACCOUNT = reverse("accounts:account")
User = get_user_model()


@pytest.fixture
def amira(make_user):
    user = make_user("amira")
    Profile.objects.create(user=user, display_name="Amira Haddad")
    return user


def form_data(user, **overrides):
    return {"display_name": "Amira Haddad", "email": user.email, **overrides}


def header_name(body: str) -> str:
    (link,) = elements(body, "a", class_="user-name")
    assert link.attrs["href"] == ACCOUNT
    return link.text


# --- the page --------------------------------------------------------------------------------


def test_the_account_page_needs_a_log_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_the_current_name_and_email_with_labels_and_links(client, amira):
    client.force_login(amira)
    body = client.get(ACCOUNT).content.decode()
    assert elements(body, "h1")[0].text == "Your account"
    assert elements(body, "input", id="id_display_name", value="Amira Haddad")
    assert elements(body, "input", id="id_email", type="email", value="amira@example.com")
    assert elements(body, "input", id="id_current_password", type="password")
    for field in ("id_display_name", "id_email", "id_current_password"):
        assert elements(body, "label", for_=field)
    assert elements(body, "a", href=reverse("password_change"))
    assert elements(body, "a", href=reverse("notifications:preferences"))
    assert "You log in as amira" in " ".join(e.text for e in elements(body, "p", class_="lead"))


def test_a_person_without_a_profile_sees_an_empty_name_and_their_username_as_the_fallback(client, learner):
    client.force_login(learner)
    body = client.get(ACCOUNT).content.decode()
    (field,) = elements(body, "input", id="id_display_name")
    assert field.attrs.get("value") is None
    assert "Leave it empty to be shown by your username, “learner”." in body


def test_the_account_page_costs_a_fixed_number_of_queries(client, amira, django_assert_num_queries):
    client.force_login(amira)
    review_summary(user=amira, now=timezone.now())  # the header's review count, cached per learner
    # session, user, profile (the form's initial name)
    with django_assert_num_queries(budget("account")):
        assert client.get(ACCOUNT).status_code == 200


# --- saving ----------------------------------------------------------------------------------


def test_changing_the_display_name_saves_it_says_so_and_the_header_shows_it(client, amira):
    client.force_login(amira)
    response = client.post(ACCOUNT, form_data(amira, display_name="Dr Amira Haddad"), follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    assert Profile.objects.get(user=amira).display_name == "Dr Amira Haddad"
    body = response.content.decode()
    assert "Saved your name." in body
    assert header_name(body) == "Signed in as Dr Amira Haddad: your account"
    assert header_name(client.get(reverse("courses:catalog")).content.decode()).startswith(
        "Signed in as Dr Amira Haddad"
    )


def test_the_first_edit_creates_the_profile_of_an_account_made_before_profiles(client, learner):
    client.force_login(learner)
    client.post(ACCOUNT, form_data(learner, display_name="Lee Learner"))
    assert Profile.objects.get(user=learner).display_name == "Lee Learner"


def test_clearing_the_display_name_falls_back_to_the_username(client, amira):
    client.force_login(amira)
    response = client.post(ACCOUNT, form_data(amira, display_name="   "), follow=True)
    assert Profile.objects.get(user=amira).display_name == ""
    assert header_name(response.content.decode()).startswith("Signed in as amira")


def test_saving_unchanged_values_says_nothing_changed_and_needs_no_password(client, amira):
    client.force_login(amira)
    response = client.post(ACCOUNT, form_data(amira, email="amira@EXAMPLE.com"), follow=True)
    assert "Nothing changed: your name and email address are as they were." in response.content.decode()
    amira.refresh_from_db()
    assert amira.email == "amira@example.com"


def test_changing_the_email_with_the_current_password_saves_it(client, amira, password):
    client.force_login(amira)
    data = form_data(amira, email="amira.haddad@example.org", current_password=password)
    response = client.post(ACCOUNT, data, follow=True)
    amira.refresh_from_db()
    assert amira.email == "amira.haddad@example.org"
    assert "Saved your email address." in response.content.decode()


def test_changing_both_says_both(client, amira, password):
    client.force_login(amira)
    data = form_data(amira, display_name="A. Haddad", email="ah@example.org", current_password=password)
    assert "Saved your name and your email address." in client.post(ACCOUNT, data, follow=True).content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "This field is required."), ("not-an-address", "Enter a valid email address.")],
)
def test_a_missing_or_malformed_email_is_a_400_beside_the_field_and_nothing_is_saved(client, amira, password, email, message):
    client.force_login(amira)
    data = form_data(amira, display_name="Changed", email=email, current_password=password)
    response = client.post(ACCOUNT, data)
    assert response.status_code == 400
    body = response.content.decode()
    (errors,) = elements(body, "ul", id="id_email_error")
    assert errors.text == message
    assert "id_email_error" in elements(body, "input", id="id_email")[0].attrs["aria-describedby"]
    assert Profile.objects.get(user=amira).display_name == "Amira Haddad"
    amira.refresh_from_db()
    assert amira.email == "amira@example.com"


def test_a_new_email_without_the_right_password_is_a_400_and_nothing_is_saved(client, amira):
    client.force_login(amira)
    data = form_data(amira, display_name="Changed", email="thief@example.net", current_password="guess")
    response = client.post(ACCOUNT, data)
    assert response.status_code == 400
    (errors,) = elements(response.content.decode(), "ul", id="id_current_password_error")
    assert errors.text == "To change your email address, enter your current password: this one is not right."
    assert throttling.WRONG_CURRENT_PASSWORD_PER_ACCOUNT.count(str(amira.pk)) == 1
    amira.refresh_from_db()
    assert amira.email == "amira@example.com"
    assert Profile.objects.get(user=amira).display_name == "Amira Haddad"


def test_a_new_email_with_no_password_asks_for_it_and_counts_no_wrong_guess(client, amira):
    client.force_login(amira)
    response = client.post(ACCOUNT, form_data(amira, email="new@example.net"))
    assert response.status_code == 400
    (errors,) = elements(response.content.decode(), "ul", id="id_current_password_error")
    assert errors.text == "To change your email address, enter your current password."
    assert throttling.WRONG_CURRENT_PASSWORD_PER_ACCOUNT.count(str(amira.pk)) == 0


def test_wrong_passwords_count_towards_the_limit_then_even_the_right_one_is_refused(client, amira, password):
    client.force_login(amira)
    for _ in range(throttling.WRONG_CURRENT_PASSWORD_PER_ACCOUNT.limit):
        client.post(ACCOUNT, form_data(amira, email="x@example.net", current_password="guess"))
    response = client.post(ACCOUNT, form_data(amira, email="x@example.net", current_password=password))
    assert response.status_code == 429
    assert "paused for an hour" in response.content.decode()
    amira.refresh_from_db()
    assert amira.email == "amira@example.com"
    # The name alone may still be changed: it needs no password.
    assert client.post(ACCOUNT, form_data(amira, display_name="Still me")).status_code == 302


def test_a_display_name_over_the_limit_is_a_400(client, amira):
    client.force_login(amira)
    too_long = "x" * (Profile.DISPLAY_NAME_MAX_LENGTH + 1)
    response = client.post(ACCOUNT, form_data(amira, display_name=too_long))
    assert response.status_code == 400
    assert elements(response.content.decode(), "ul", id="id_display_name_error")
    assert Profile.objects.get(user=amira).display_name == "Amira Haddad"


def test_markup_in_a_display_name_is_shown_as_text(client, amira):
    client.force_login(amira)
    client.post(ACCOUNT, form_data(amira, display_name="<b>Amira</b>"))
    body = client.get(reverse("courses:catalog")).content.decode()
    assert "<b>Amira</b>" not in body
    assert "Signed in as <strong>&lt;b&gt;Amira&lt;/b&gt;</strong>" in body


def test_update_account_reports_what_changed():
    user = User.objects.create_user(username="sam", email="sam@example.com")
    assert update_account(user=user, display_name="Sam", email="sam@example.com") == ["display_name"]
    assert update_account(user=user, display_name="Sam", email="s@example.com") == ["email"]
    assert update_account(user=user, display_name="Sam", email="s@example.com") == []


def test_the_form_normalises_the_domain_so_a_differently_cased_address_is_no_change(amira):
    form = AccountForm({"display_name": "", "email": "amira@Example.COM"}, user=amira)
    assert form.is_valid()
    assert not form.email_changed


# --- the header -------------------------------------------------------------------------------


def test_logging_in_puts_the_display_name_in_the_header(client, amira, password):
    client.post(reverse("login"), {"username": "amira", "password": password})
    assert client.session[DISPLAY_NAME] == "Amira Haddad"
    body = client.get(reverse("courses:catalog")).content.decode()
    assert header_name(body) == "Signed in as Amira Haddad: your account"


def test_the_header_marks_the_account_page_as_the_current_page(client, amira):
    client.force_login(amira)
    body = client.get(ACCOUNT).content.decode()
    (link,) = elements(body, "a", class_="user-name")
    assert link.attrs.get("aria-current") == "page"
    (link,) = elements(client.get(reverse("courses:catalog")).content.decode(), "a", class_="user-name")
    assert "aria-current" not in link.attrs


def test_a_session_from_before_names_were_kept_shows_the_username(client, amira):
    client.force_login(amira)
    session = client.session
    del session[DISPLAY_NAME]
    session.save()
    assert header_name(client.get(reverse("courses:catalog")).content.decode()).startswith(
        "Signed in as amira"
    )


def test_the_header_names_the_person_without_a_query(client, amira, make_user, django_assert_num_queries):
    """A page costs the same for someone with a display name as for someone without, and the
    header names them: the name comes from the session, not from their profile."""
    plain = make_user("plain")
    page = reverse("password_change")
    shown = {}
    for user in (amira, plain):
        client.force_login(user)
        review_summary(user=user, now=timezone.now())
        with django_assert_num_queries(2):  # session, user
            body = client.get(page).content.decode()
        shown[user.username] = header_name(body)
    assert shown == {
        "amira": "Signed in as Amira Haddad: your account",
        "plain": "Signed in as plain: your account",
    }


def test_a_page_rendered_without_its_request_names_no_one():
    from django.template import Context, Template

    assert Template("{% load people %}[{% signed_in_name %}]").render(Context({})) == "[]"
