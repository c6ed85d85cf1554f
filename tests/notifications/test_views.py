"""The nudge, unsubscribe and preferences views: statuses, who may, what changes, and queries."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Profile
from benchmarks.budgets import queries as budget
from notifications.models import Mail, MailPreference, Sending
from notifications.tokens import make_token
from tests.factories import make_course, make_person, make_team

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def ward(db):
    course = make_course(slug="imaging-ai", title="Imaging AI", lessons=3)
    mona = make_person(username="mona")
    Profile.objects.create(user=mona, display_name="Mona Ghali")
    ben = make_person(username="ben")
    Profile.objects.create(user=ben, display_name="Ben Okafor")
    team = make_team(slug="ward-7", name="Ward 7", courses=[course], managers=[mona], members=[ben])
    return {
        "team": team,
        "mona": mona,
        "ben": ben,
        "membership": Membership.objects.get(team=team, user=ben),
        "course": course,
    }


def nudge_url(team, membership) -> str:
    return reverse("notifications:nudge", kwargs={"team": team.slug, "membership": membership.pk})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- nudge -----------------------------------------------------------------------------------


def test_a_manager_nudges_a_member_and_goes_back_to_the_dashboard(ward, mailoutbox):
    response = as_user(ward["mona"]).post(nudge_url(ward["team"], ward["membership"]), follow=True)
    assert response.redirect_chain == [("/teams/ward-7/", 303)]
    assert re.search(r"Ben Okafor was nudged at \d\d:\d\d: a reminder is on its way.", response.content.decode())
    (sent,) = mailoutbox
    assert sent.to == ["Ben Okafor <ben@example.com>"]
    assert sent.subject == "A reminder from Mona Ghali (Ward 7)"
    assert "Mona Ghali, who manages Ward 7, sent you a reminder" in sent.body
    assert "Imaging AI: 3 lessons left" in sent.body
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (sending,) = Sending.objects.all()
    assert (sending.user, sending.rule, sending.sender) == (ward["ben"], "nudge", ward["mona"])
    assert Mail.objects.get().status == Mail.Status.SENT


def test_the_nudge_goes_back_to_next_when_it_is_a_page_of_this_site(ward):
    client = as_user(ward["mona"])
    url = nudge_url(ward["team"], ward["membership"])
    assert client.post(url, {"next": "/teams/ward-7/?page=2"})["Location"] == "/teams/ward-7/?page=2"
    Sending.objects.all().delete()
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == "/teams/ward-7/"


def test_with_htmx_the_nudge_answers_with_a_fragment(ward, mailoutbox):
    response = as_user(ward["mona"]).post(nudge_url(ward["team"], ward["membership"]), headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    stamp = timezone.localtime().strftime("%H:%M")
    assert f"Nudged at {stamp}" in page or "Nudged at" in page
    assert 'role="status"' in page
    assert len(mailoutbox) == 1


def test_a_second_nudge_the_same_day_is_refused_with_retry_after(ward, mailoutbox):
    client = as_user(ward["mona"])
    url = nudge_url(ward["team"], ward["membership"])
    client.post(url)
    again = client.post(url, headers=HTMX)
    assert again.status_code == 429
    assert 0 < int(again["Retry-After"]) <= 24 * 3600
    assert "Ben Okafor was already nudged today at" in again.content.decode()
    plain = client.post(url, follow=True)
    assert plain.redirect_chain == [("/teams/ward-7/", 303)]
    assert "you can nudge them again tomorrow" in plain.content.decode()
    assert len(mailoutbox) == 1
    assert Sending.objects.count() == Mail.objects.count() == 1


def test_another_manager_cannot_nudge_the_same_member_again_that_day(ward, mailoutbox):
    other = make_person(username="olu")
    Membership.objects.create(team=ward["team"], user=other, role=Membership.Role.MANAGER)
    as_user(ward["mona"]).post(nudge_url(ward["team"], ward["membership"]))
    assert as_user(other).post(nudge_url(ward["team"], ward["membership"]), headers=HTMX).status_code == 429
    assert len(mailoutbox) == 1


def test_a_member_who_turned_nudges_off_is_not_nudged(ward, mailoutbox):
    MailPreference.objects.create(user=ward["ben"], nudges=False)
    client = as_user(ward["mona"])
    url = nudge_url(ward["team"], ward["membership"])
    refused = client.post(url, headers=HTMX)
    assert refused.status_code == 409
    assert "Ben Okafor has turned off reminders from managers" in refused.content.decode()
    plain = client.post(url, follow=True)
    assert "nothing was sent" in plain.content.decode()
    assert mailoutbox == [] and not Sending.objects.exists() and not Mail.objects.exists()


@pytest.mark.parametrize("who", ["member", "manager of another team", "instructor", "stranger"])
def test_only_a_manager_of_the_team_may_nudge(ward, who, mailoutbox):
    from django.contrib.auth.models import Group

    user = make_person(username="someone", is_staff=who == "instructor")
    if who == "member":
        Membership.objects.create(team=ward["team"], user=user)
    elif who == "manager of another team":
        make_team(slug="ward-8", managers=[user], members=[make_person(username="x")])
    elif who == "instructor":
        user.groups.add(Group.objects.get_or_create(name="Instructors")[0])
    assert as_user(user).post(nudge_url(ward["team"], ward["membership"])).status_code == 404
    assert mailoutbox == [] and not Sending.objects.exists()


def test_a_nudge_for_someone_not_in_the_team_is_not_found(ward, mailoutbox):
    elsewhere = make_team(slug="ward-8", managers=[ward["mona"]], members=[make_person(username="zoe")])
    theirs = Membership.objects.get(team=elsewhere, role="member")
    # Mona manages both teams, but that membership is not ward 7's.
    assert as_user(ward["mona"]).post(nudge_url(ward["team"], theirs)).status_code == 404
    managers = Membership.objects.get(team=ward["team"], user=ward["mona"])
    assert as_user(ward["mona"]).post(nudge_url(ward["team"], managers)).status_code == 404
    missing = reverse("notifications:nudge", kwargs={"team": "ward-7", "membership": 999999})
    assert as_user(ward["mona"]).post(missing).status_code == 404
    assert mailoutbox == [] and not Sending.objects.exists()


def test_a_nudge_is_post_only_and_needs_a_log_in(ward):
    url = nudge_url(ward["team"], ward["membership"])
    assert as_user(ward["mona"]).get(url).status_code == 405
    assert Client().post(url)["Location"].startswith("/accounts/login/?next=")


def test_a_nudge_with_the_database_backend_waits_for_the_worker(ward, mailoutbox, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = as_user(ward["mona"]).post(nudge_url(ward["team"], ward["membership"]), headers=HTMX)
    assert response.status_code == 200
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "notifications.tasks.deliver_mail"
    assert mailoutbox == []
    assert Mail.objects.get().status == Mail.Status.PENDING


@pytest.mark.parametrize("htmx", [False, True], ids=["redirect", "htmx"])
def test_a_nudge_makes_a_fixed_number_of_queries(ward, htmx, django_assert_num_queries, settings):
    # As in production: the delivery is a task for the worker (one row), not sent in the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(20):  # a larger team changes nothing
        Membership.objects.create(team=ward["team"], user=make_person(username=f"m{n}"))
    client = as_user(ward["mona"])
    url = nudge_url(ward["team"], ward["membership"])
    with django_assert_num_queries(budget("nudge_htmx" if htmx else "nudge")):
        client.post(url, headers=HTMX if htmx else {})


# -- unsubscribe -----------------------------------------------------------------------------


def unsubscribe_url(user, kind="reminders") -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": make_token(user_id=user.pk, kind=kind)})


def test_opening_the_link_asks_first_and_changes_nothing(ward):
    page = Client().get(unsubscribe_url(ward["ben"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stop sending b•••@example.com reminders about your courses and reviews?" in text
    assert '<button type="submit" class="button">Unsubscribe</button>' in text
    assert not MailPreference.objects.exists()
    assert "no-cache" in page["Cache-Control"]


def test_one_click_unsubscribes_without_logging_in_or_a_csrf_token(ward):
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(ward["ben"], "digest"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    choice = MailPreference.objects.get(user=ward["ben"])
    assert (choice.reminders, choice.digest, choice.nudges) == (True, False, True)
    again = client.post(unsubscribe_url(ward["ben"], "digest"))
    assert again.status_code == 200 and MailPreference.objects.count() == 1
    assert "We already do not send b•••@example.com the weekly digest" in Client().get(unsubscribe_url(ward["ben"], "digest")).content.decode()


def forged_tokens(user) -> list[str]:
    good = make_token(user_id=user.pk, kind="reminders")
    payload, signature = good.rsplit(":", 1)
    return [
        "not-a-token",
        good[:-3],  # cut short
        payload + ":" + ("A" * len(signature)),  # a made-up signature
        signing.dumps([user.pk, "reminders"], salt="another.purpose"),  # signed for something else
        signing.dumps([user.pk, "everything"], salt="notifications.unsubscribe"),  # an unknown kind
        signing.dumps({"user": user.pk}, salt="notifications.unsubscribe"),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_garbled_link_is_a_clear_400_and_changes_nothing(ward, method):
    for token in forged_tokens(ward["ben"]):
        url = reverse("notifications:unsubscribe", kwargs={"token": token})
        response = getattr(Client(), method)(url)
        assert response.status_code == 400, token
        assert "This unsubscribe link does not work" in response.content.decode()
    assert not MailPreference.objects.exists()


def test_a_link_for_a_deleted_account_is_a_400(ward):
    url = unsubscribe_url(ward["ben"])
    ward["ben"].delete()
    response = Client().post(url)
    assert response.status_code == 400
    assert "no longer exists" in response.content.decode()


def test_unsubscribe_makes_a_fixed_number_of_queries(ward, django_assert_num_queries):
    url = unsubscribe_url(ward["ben"])
    with django_assert_num_queries(budget("unsubscribe_page")):
        Client().get(url)
    with django_assert_num_queries(budget("unsubscribe")):
        Client().post(url)


# -- preferences -----------------------------------------------------------------------------


def test_preferences_need_a_log_in(ward):
    assert Client().get("/account/email/")["Location"].startswith("/accounts/login/?next=/account/email/")


def test_preferences_show_every_kind_on_by_default_and_save_a_choice(ward):
    client = as_user(ward["ben"])
    page = client.get("/account/email/")
    assert page.status_code == 200
    boxes = re.findall(r'<input type="checkbox" name="(\w+)"[^>]*>', page.content.decode())
    assert boxes == ["reminders", "digest", "nudges"]
    assert page.content.decode().count("checked") == 3
    assert not MailPreference.objects.exists()  # looking changes nothing

    saved = client.post("/account/email/", {"reminders": "on"}, follow=True)
    assert saved.redirect_chain == [("/account/email/", 302)]
    assert (
        "Saved. We will not send you the weekly digest of the teams you manage or reminders from "
        "your team&#x27;s managers."
    ) in saved.content.decode()
    choice = MailPreference.objects.get(user=ward["ben"])
    assert (choice.reminders, choice.digest, choice.nudges) == (True, False, False)
    client.post("/account/email/", {"reminders": "on", "digest": "on", "nudges": "on"})
    choice.refresh_from_db()
    assert (choice.reminders, choice.digest, choice.nudges) == (True, True, True)


def test_preferences_make_a_fixed_number_of_queries(ward, django_assert_num_queries):
    client = as_user(ward["ben"])
    client.get("/account/email/")  # the header's review count, cached per learner
    with django_assert_num_queries(budget("mail_preferences")):
        client.get("/account/email/")
    with django_assert_num_queries(budget("save_mail_preferences")):
        client.post("/account/email/", {"reminders": "on"})
