"""Teams: accounts/selectors.py and the writes in accounts/services.py, joining by invite link, and the members page."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Profile, Team
from accounts.roles import INSTRUCTORS
from accounts.selectors import manageable_teams, viewable_teams
from accounts.services import LastManagerError, join_team, remove_member, renew_invite_code
from review.selectors import summary as review_summary
from tests.factories import make_person, make_team
from tests.html import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user():
    """People without usable passwords: these tests log in with force_login (no slow hashing)."""
    return lambda username, **extra: make_person(username=username, **extra)


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def manager(make_user):
    return make_user("manager", first_name="Mona", last_name="Ghali")


@pytest.fixture
def team(manager):
    return make_team(slug="ward-7", name="Ward 7", managers=[manager])


def join_url(team):
    return reverse("teams:join", kwargs={"invite_code": team.invite_code})


# --- the model and the writes ---------------------------------------------------------------


def test_team_slug_join_is_refused():
    team = Team(name="Join", slug="join")
    with pytest.raises(ValidationError) as error:
        team.full_clean()
    assert "reserved" in str(error.value.message_dict["slug"])


def test_new_teams_get_distinct_unguessable_invite_codes():
    first = Team.objects.create(name="A", slug="a")
    second = Team.objects.create(name="B", slug="b")
    assert first.invite_code != second.invite_code
    assert len(first.invite_code) >= 20


def test_join_team_creates_a_member_once(team, learner):
    membership, created = join_team(team=team, user=learner)
    assert created and membership.role == Membership.Role.MEMBER
    again, created_again = join_team(team=team, user=learner)
    assert again.pk == membership.pk and not created_again
    assert team.memberships.filter(user=learner).count() == 1


def test_join_team_keeps_a_manager_a_manager(team, manager):
    membership, created = join_team(team=team, user=manager)
    assert not created and membership.role == Membership.Role.MANAGER


def test_renew_invite_code_replaces_the_code(team):
    old = team.invite_code
    new = renew_invite_code(team=team)
    team.refresh_from_db()
    assert team.invite_code == new != old
    assert not Team.objects.filter(invite_code=old).exists()


def test_remove_member_deletes_only_the_membership(team, learner):
    membership, _ = join_team(team=team, user=learner)
    remove_member(membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    learner.refresh_from_db()  # the account itself stays


def test_the_last_manager_cannot_be_removed(team, manager):
    membership = team.memberships.get(user=manager)
    with pytest.raises(LastManagerError):
        remove_member(membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_manager_can_be_removed_when_another_remains(team, manager, make_user):
    deputy = make_user("deputy")
    Membership.objects.create(team=team, user=deputy, role=Membership.Role.MANAGER)
    remove_member(membership=team.memberships.get(user=manager))
    assert list(team.memberships.values_list("user__username", flat=True)) == ["deputy"]


def test_who_may_view_and_who_may_manage_which_team(team, manager, make_user, learner):
    other = make_team(slug="ward-9", managers=[make_user("other-manager")])
    join_team(team=team, user=learner)
    instructor = make_user("instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    staff_only = make_user("staff-only", is_staff=True)
    team_admin = make_user("team-admin", is_staff=True)
    team_admin.user_permissions.add(Permission.objects.get(codename="change_team"))
    superuser = make_user("root", is_staff=True, is_superuser=True)
    inactive_manager = make_user("gone", is_active=False)
    Membership.objects.create(team=team, user=inactive_manager, role=Membership.Role.MANAGER)
    expected = {
        # user: (teams they may view, teams they may manage)
        manager: ({team}, {team}),
        learner: (set(), set()),
        staff_only: (set(), set()),
        inactive_manager: (set(), set()),
        instructor: ({team, other}, set()),
        team_admin: ({team, other}, {team, other}),
        superuser: ({team, other}, {team, other}),
    }
    for user, (view, manage) in expected.items():
        assert set(viewable_teams(user)) == view, user
        assert set(manageable_teams(user)) == manage, user


# --- joining by invite link -----------------------------------------------------------------


def test_join_page_for_an_anonymous_visitor_offers_sign_up_and_log_in_back_here(client, team):
    response = client.get(join_url(team))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ward 7" in body
    back = join_url(team)
    assert f'{reverse("accounts:signup")}?next={back}' in body
    assert f'{reverse("login")}?next={back}' in body


def test_anonymous_post_to_join_goes_to_log_in_and_joins_nobody(client, team):
    response = client.post(join_url(team))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert team.memberships.count() == 1


def test_signing_up_from_the_join_page_comes_back_to_it(client, team):
    response = client.post(
        reverse("accounts:signup") + f"?next={join_url(team)}",
        {"username": "newcomer", "email": "n@example.com",
         "password1": "Clinical-reasoning-2026!", "password2": "Clinical-reasoning-2026!"},
    )
    assert response["Location"] == join_url(team)
    page = client.get(join_url(team)).content.decode()
    assert "Join Ward 7" in page and 'method="post"' in page


def test_get_shows_a_confirmation_and_joins_nobody(learner_client, team, learner):
    response = learner_client.get(join_url(team))
    assert response.status_code == 200
    assert "Join Ward 7" in response.content.decode()
    assert not team.memberships.filter(user=learner).exists()


def test_post_joins_and_goes_to_my_progress(learner_client, team, learner):
    response = learner_client.post(join_url(team), follow=True)
    assert response.redirect_chain[-1][0] == reverse("progress:mine")
    assert "You joined Ward 7" in response.content.decode()
    assert team.memberships.get(user=learner).role == Membership.Role.MEMBER


def test_joining_twice_says_already_a_member(learner_client, team, learner):
    join_team(team=team, user=learner)
    page = learner_client.get(join_url(team)).content.decode()
    assert "You are already in" in page
    response = learner_client.post(join_url(team), follow=True)
    assert "already in Ward 7" in response.content.decode()
    assert team.memberships.filter(user=learner).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_invite_code_is_a_friendly_404(learner_client, method, team):
    response = getattr(learner_client, method)(
        reverse("teams:join", kwargs={"invite_code": "not-a-code"})
    )
    assert response.status_code == 404
    assert "ask your team manager for the current invite link" in response.content.decode().lower()


def test_a_retired_invite_code_stops_working_at_once(learner_client, team, learner):
    old_url = join_url(team)
    renew_invite_code(team=team)
    assert learner_client.get(old_url).status_code == 404
    assert learner_client.post(old_url).status_code == 404
    assert not team.memberships.filter(user=learner).exists()
    assert learner_client.get(join_url(team)).status_code == 200


def test_join_refuses_other_methods(learner_client, team):
    assert learner_client.put(join_url(team)).status_code == 405


# --- the members page: invite link, renew, remove --------------------------------------------


def test_members_page_shows_the_invite_link_in_a_labelled_readonly_input(client, team, manager, learner):
    join_team(team=team, user=learner)
    client.force_login(manager)
    body = client.get(reverse("teams:members", kwargs={"team": team.slug})).content.decode()
    assert elements(body, "label", for_="invite-url")
    assert elements(body, "input", value=f"{settings.SITE_URL}{join_url(team)}", readonly=True)
    assert "data-copy=\"invite-url\"" in body and "js/team-invite.js" in body
    assert "Only manager" in body  # the last manager is not offered for removal
    assert body.index('role="rowheader">manager</th>') < body.index('role="rowheader">learner</th>')


def test_renewing_redirects_back_and_the_page_shows_the_new_link(client, team, manager):
    client.force_login(manager)
    members = reverse("teams:members", kwargs={"team": team.slug})
    old = team.invite_code
    response = client.post(
        reverse("teams:renew_invite", kwargs={"team": team.slug}), {"next": members}, follow=True
    )
    team.refresh_from_db()
    assert team.invite_code != old
    assert response.redirect_chain[-1][0] == members
    body = response.content.decode()
    assert team.invite_code in body and old not in body
    assert "The old link no longer works" in body


def test_renew_by_get_is_refused(client, team, manager):
    client.force_login(manager)
    old = team.invite_code
    assert client.get(reverse("teams:renew_invite", kwargs={"team": team.slug})).status_code == 405
    team.refresh_from_db()
    assert team.invite_code == old


def test_renew_ignores_an_external_next(client, team, manager):
    client.force_login(manager)
    response = client.post(
        reverse("teams:renew_invite", kwargs={"team": team.slug}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("teams:members", kwargs={"team": team.slug})


def test_remove_asks_for_confirmation_then_removes(client, team, manager, learner):
    membership, _ = join_team(team=team, user=learner)
    client.force_login(manager)
    url = reverse("teams:remove_member", kwargs={"team": team.slug, "membership": membership.pk})
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove learner from Ward 7?" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:members", kwargs={"team": team.slug})
    assert "is no longer in Ward 7" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_last_manager_cannot_remove_themselves(client, team, manager):
    client.force_login(manager)
    membership = team.memberships.get(user=manager)
    url = reverse("teams:remove_member", kwargs={"team": team.slug, "membership": membership.pk})
    page = client.get(url).content.decode()
    assert "only manager" in page and 'method="post"' not in page.split("<main")[1]
    response = client.post(url)
    assert response.status_code == 409
    assert "at least one manager" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_manager_who_leaves_goes_to_their_progress(client, team, manager, make_user):
    Membership.objects.create(team=team, user=make_user("deputy"), role=Membership.Role.MANAGER)
    client.force_login(manager)
    membership = team.memberships.get(user=manager)
    url = reverse("teams:remove_member", kwargs={"team": team.slug, "membership": membership.pk})
    response = client.post(url)
    assert response["Location"] == reverse("progress:mine")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_membership_of_another_team_is_a_404(client, team, manager, make_user, learner):
    other = make_team(slug="ward-9", managers=[make_user("other-manager")], members=[learner])
    theirs = other.memberships.get(user=learner)
    client.force_login(manager)
    url = reverse("teams:remove_member", kwargs={"team": team.slug, "membership": theirs.pk})
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- people by their display name ------------------------------------------------------------


def test_members_page_names_people_by_display_name_with_the_username_beside(client, team, manager, learner, django_assert_num_queries):
    Profile.objects.create(user=learner, display_name="Lee Okafor")
    join_team(team=team, user=learner)
    for n in range(3):
        join_team(team=team, user=make_person(username=f"extra-{n}"))
    client.force_login(manager)
    review_summary(user=manager, now=timezone.now())
    # session, user, the team with access flags, the memberships with their people and profiles
    with django_assert_num_queries(4):
        body = client.get(reverse("teams:members", kwargs={"team": team.slug})).content.decode()
    rows = {row.text: row for row in elements(body, "th", scope="row")}
    assert set(rows) == {"manager", "Lee Okafor", "extra-0", "extra-1", "extra-2"}
    assert "<td>learner</td>" in body  # the username column
    (remove,) = [a for a in elements(body, "a") if a.text.startswith("Remove Lee")]
    assert remove.text == "Remove Lee Okafor (learner)"


def test_remove_page_and_message_use_the_display_name(client, team, manager, learner):
    Profile.objects.create(user=learner, display_name="Lee Okafor")
    membership, _ = join_team(team=team, user=learner)
    client.force_login(manager)
    url = reverse("teams:remove_member", kwargs={"team": team.slug, "membership": membership.pk})
    page = client.get(url).content.decode()
    assert elements(page, "h1")[0].text == "Remove Lee Okafor (learner) from Ward 7?"
    assert elements(page, "button", class_="button-danger")[0].text == "Remove Lee Okafor"
    response = client.post(url, follow=True)
    assert "Lee Okafor is no longer in Ward 7. Their own progress is kept." in response.content.decode()


def test_joining_says_by_which_name_the_managers_see_you(learner_client, team, learner):
    Profile.objects.create(user=learner, display_name="Lee Okafor")
    response = learner_client.post(join_url(team), follow=True)
    assert "You joined Ward 7 as Lee Okafor: its managers see you by this name" in response.content.decode()
