"""The roles fixture gives each role what its name says, so matrix tests can rely on it."""

import pytest

from accounts.models import Membership

from .roles import (
    ANONYMOUS,
    INSTRUCTOR,
    INSTRUCTORS_GROUP,
    LEARNER,
    MANAGER_A,
    MANAGER_B,
    MEMBER_A,
    ROLES,
    SUPERUSER,
)

pytestmark = pytest.mark.django_db


def test_there_are_seven_roles_and_only_anonymous_has_no_user(roles):
    assert len(ROLES) == 7
    assert [role for role in ROLES if roles.users[role] is None] == [ANONYMOUS]


def test_team_roles_are_memberships_with_the_right_role(roles):
    def role_in(user, team):
        membership = Membership.objects.filter(user=user, team=team).first()
        return membership and membership.role

    assert role_in(roles.users[MEMBER_A], roles.team_a) == Membership.Role.MEMBER
    assert role_in(roles.users[MANAGER_A], roles.team_a) == Membership.Role.MANAGER
    assert role_in(roles.users[MANAGER_B], roles.team_b) == Membership.Role.MANAGER
    assert role_in(roles.users[MANAGER_B], roles.team_a) is None
    assert not roles.users[LEARNER].memberships.exists()


def test_instructor_is_staff_in_the_instructors_group_and_not_a_superuser(roles):
    instructor = roles.users[INSTRUCTOR]
    assert instructor.is_staff and not instructor.is_superuser
    assert instructor.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert roles.users[SUPERUSER].is_superuser


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_a_client_logged_in_as_itself(roles, role):
    client = roles.client(role)
    session_user = client.session.get("_auth_user_id")
    user = roles.users[role]
    assert session_user == (str(user.pk) if user else None)


def test_role_users_can_log_in_with_the_shared_password(roles, client, password):
    assert client.login(username=roles.users[LEARNER].username, password=password)
