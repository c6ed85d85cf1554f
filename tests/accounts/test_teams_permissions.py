"""Who may open a team's dashboard and CSV (its managers, staff instructors, superusers and
staff who administer teams) and who may open its members page, renew its invite link and
remove its members (the same without instructors, who only view teams). Anyone else who is
logged in gets a 404 and changes nothing; anonymous visitors are sent to log in."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import INSTRUCTORS
from tests.factories import make_course, make_person, make_team

pytestmark = pytest.mark.django_db

VIEWERS = {"manager", "instructor", "team_admin", "superuser"}
MANAGERS = {"manager", "team_admin", "superuser"}
ROLES = [
    "anonymous",
    "non_member",
    "member",
    "other_manager",
    "staff_not_instructor",
    "manager",
    "instructor",
    "team_admin",
    "superuser",
]


@pytest.fixture
def world(db):
    def make_user(username, **extra):
        return make_person(username=username, **extra)

    course = make_course(slug="clinical-documentation-ai", order=1, lessons=3)
    people = {
        "non_member": make_user("stranger"),
        "member": make_user("member"),
        "other_manager": make_user("other-manager"),
        "staff_not_instructor": make_user("staff", is_staff=True),
        "manager": make_user("manager"),
        "instructor": make_user("instructor", is_staff=True),
        "team_admin": make_user("team-admin", is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
    }
    people["instructor"].groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    administrators = Group.objects.create(name="Team administrators")
    administrators.permissions.add(Permission.objects.get(codename="change_team"))
    people["team_admin"].groups.add(administrators)
    target = make_user("target")
    team = make_team(
        slug="ward-7", courses=[course], managers=[people["manager"]],
        members=[people["member"], target],
    )
    make_team(slug="ward-9", courses=[course], managers=[people["other_manager"]])
    return {"team": team, "people": people, "target": team.memberships.get(user=target)}


def client_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_dashboard(client, world, role):
    response = client_as(client, world, role).get(reverse("progress:team", kwargs={"team": "ward-7"}))
    if role in VIEWERS:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ward 7: team dashboard" in body
        # The manager controls appear only for those who may use them.
        assert (world["team"].invite_code in body) == (role in MANAGERS)
        assert ("Make a new link" in body) == (role in MANAGERS)
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_csv_export(client, world, role):
    response = client_as(client, world, role).get(reverse("progress:export", kwargs={"team": "ward-7"}))
    if role in VIEWERS:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert b"target" in response.content
    else:
        assert_refused(response, role)
        assert b"target" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_members_page(client, world, role):
    response = client_as(client, world, role).get(reverse("teams:members", kwargs={"team": "ward-7"}))
    if role in MANAGERS:
        assert response.status_code == 200
        assert world["team"].invite_code in response.content.decode()
    else:
        assert_refused(response, role)
        assert world["team"].invite_code.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_invite_renewal(client, world, role):
    team = world["team"]
    old = team.invite_code
    response = client_as(client, world, role).post(
        reverse("teams:renew_invite", kwargs={"team": "ward-7"})
    )
    team.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert team.invite_code != old
    else:
        assert_refused(response, role)
        assert team.invite_code == old


@pytest.mark.parametrize("role", ROLES)
def test_member_removal(client, world, role):
    target = world["target"]
    url = reverse("teams:remove_member", kwargs={"team": "ward-7", "membership": target.pk})
    client = client_as(client, world, role)
    confirm = client.get(url)
    response = client.post(url)
    exists = Membership.objects.filter(pk=target.pk).exists()
    if role in MANAGERS:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert not exists
    else:
        assert_refused(confirm, role)
        assert_refused(response, role)
        assert exists


@pytest.mark.parametrize("path", ["ward-9/", "no-such-team/"])
def test_a_manager_guessing_another_teams_url_gets_404(client, world, path):
    client.force_login(world["people"]["manager"])
    assert client.get(f"/teams/{path}").status_code == 404
    assert client.get(f"/teams/{path}export.csv").status_code == 404
    assert client.get(f"/teams/{path}members/").status_code == 404
