"""The team admin: staff create teams, assign courses and name managers; "join" is refused."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Team
from accounts.roles import INSTRUCTORS
from tests.factories import make_course, make_person, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_person(username="root", is_staff=True, is_superuser=True))
    return client


def team_form(**overrides):
    data = {
        "name": "Ward 7",
        "slug": "ward-7",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_staff_create_a_team_with_courses_and_a_manager(admin_client):
    course = make_course(slug="clinical-documentation-ai", order=1, lessons=3)
    manager = make_person(username="mona")
    response = admin_client.post(
        reverse("admin:accounts_team_add"),
        team_form(**{"assignments-0-course": course.pk, "assignments-0-due_on": "2099-01-31",
                     "memberships-0-user": manager.pk, "memberships-0-role": "manager"}),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    team = Team.objects.get(slug="ward-7")
    assert list(team.courses.all()) == [course]
    assert str(team.assignments.get().due_on) == "2099-01-31"
    assert team.memberships.get().role == Membership.Role.MANAGER
    assert team.invite_code


def test_a_due_date_in_the_past_is_refused_and_nothing_is_saved(admin_client):
    course = make_course(slug="clinical-documentation-ai", order=1, lessons=3)
    response = admin_client.post(
        reverse("admin:accounts_team_add"),
        team_form(**{"assignments-0-course": course.pk, "assignments-0-due_on": "2001-01-01"}),
    )
    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert not Team.objects.filter(slug="ward-7").exists()


def test_the_slug_join_is_refused_in_the_admin(admin_client):
    response = admin_client.post(reverse("admin:accounts_team_add"), team_form(name="Join", slug="join"))
    assert response.status_code == 200
    assert "reserved" in str(response.context["adminform"].form.errors["slug"])
    assert not Team.objects.filter(slug="join").exists()


def test_the_changelist_shows_counts_and_the_change_form_the_invite_link(admin_client):
    team = make_team(courses=[make_course(slug="clinical-documentation-ai", order=1, lessons=3)], managers=[make_person(username="mona")],
                     members=[make_person(username="ann"), make_person(username="bob")])
    changelist = admin_client.get(reverse("admin:accounts_team_changelist")).content.decode()
    assert "Ward 7" in changelist and team.get_absolute_url() in changelist
    change = admin_client.get(reverse("admin:accounts_team_change", args=[team.pk])).content.decode()
    assert team.get_invite_path() in change


def test_the_renew_action_retires_the_old_links(admin_client):
    first, second = make_team(slug="a"), make_team(slug="b")
    old = {first.invite_code, second.invite_code}
    admin_client.post(
        reverse("admin:accounts_team_changelist"),
        {"action": "renew_invites", "_selected_action": [first.pk, second.pk]},
    )
    new = set(Team.objects.values_list("invite_code", flat=True))
    assert new.isdisjoint(old) and len(new) == 2


def test_memberships_have_their_own_admin_list(admin_client):
    make_team(managers=[make_person(username="mona")], members=[make_person(username="ann")])
    body = admin_client.get(reverse("admin:accounts_membership_changelist")).content.decode()
    assert "mona" in body and "ann" in body


# --- view-only staff (the Instructors group views teams, never changes them) ----------------


@pytest.fixture
def instructor_client():
    """A client of its own (``admin_client`` logs the shared one in as a superuser)."""
    instructor = make_person(username="ines", is_staff=True)
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    client = Client()
    client.force_login(instructor)
    return client


def offered_actions(response) -> set[str]:
    form = response.context["action_form"]  # None when no action is allowed at all
    return {name for name, _ in form.fields["action"].choices} if form else set()


def test_a_view_only_instructor_is_not_offered_the_renew_action(instructor_client, admin_client):
    make_team()
    changelist = reverse("admin:accounts_team_changelist")
    response = instructor_client.get(changelist)
    assert response.status_code == 200
    assert "renew_invites" not in offered_actions(response)
    assert "renew_invites" in offered_actions(admin_client.get(changelist))


def test_a_forged_renew_post_from_a_view_only_instructor_changes_nothing(instructor_client):
    first, second = make_team(slug="a"), make_team(slug="b")
    before = dict(Team.objects.values_list("pk", "invite_code"))
    response = instructor_client.post(
        reverse("admin:accounts_team_changelist"),
        {"action": "renew_invites", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code in (200, 302, 403)
    assert dict(Team.objects.values_list("pk", "invite_code")) == before


def test_the_invite_link_is_shown_only_to_those_who_may_change_the_team(instructor_client):
    team = make_team()
    response = instructor_client.get(reverse("admin:accounts_team_change", args=[team.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert team.name in body
    assert team.invite_code not in body
    assert "field-invite_link" not in body
