"""The seven roles of the authorization matrix, built once per test by the ``roles`` fixture.

DESIGN.md's "Who may see what" names them: anonymous, a learner with no team, a member of team
A, a manager of team B, a manager of team A, an instructor (staff in the "Instructors" group)
and a superuser. Tests take ``roles`` and ask for a client logged in as one of them::

    @pytest.mark.parametrize("role", ROLES)
    def test_something(roles, role):
        response = roles.client(role).get(url)

``roles.team_a`` and ``roles.team_b`` are the two teams; ``roles.users[role]`` is the user
(None for anonymous). Every user has the shared test password from tests/conftest.py.
"""

from dataclasses import dataclass, field
from functools import cache

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Membership, Team
from tests.conftest import PASSWORD

ANONYMOUS = "anonymous"
LEARNER = "learner"
MEMBER_A = "member_a"
MANAGER_B = "manager_b"
MANAGER_A = "manager_a"
INSTRUCTOR = "instructor"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, LEARNER, MEMBER_A, MANAGER_B, MANAGER_A, INSTRUCTOR, SUPERUSER)
INSTRUCTORS_GROUP = "Instructors"


@dataclass
class Roles:
    team_a: Team
    team_b: Team
    users: dict = field(default_factory=dict)

    def client(self, role: str, **defaults) -> Client:
        """A fresh test client, logged in as ``role`` unless it is anonymous."""
        client = Client(**defaults)
        user = self.users[role]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client


@cache
def password_hash() -> str:
    # Hashing is deliberately slow; hash the shared password once per test process.
    return make_password(PASSWORD)


def make_roles() -> Roles:
    """Create the two teams and one user per role (needs database access)."""
    User = get_user_model()

    def user(username, **extra):
        return User.objects.create(
            username=username, email=f"{username}@example.com", password=password_hash(), **extra
        )

    team_a = Team.objects.create(name="Team A", slug="team-a")
    team_b = Team.objects.create(name="Team B", slug="team-b")
    users = {
        ANONYMOUS: None,
        LEARNER: user("role-learner"),
        MEMBER_A: user("role-member-a"),
        MANAGER_B: user("role-manager-b"),
        MANAGER_A: user("role-manager-a"),
        INSTRUCTOR: user("role-instructor", is_staff=True),
        SUPERUSER: user("role-superuser", is_staff=True, is_superuser=True),
    }
    Membership.objects.create(team=team_a, user=users[MEMBER_A], role=Membership.Role.MEMBER)
    Membership.objects.create(team=team_b, user=users[MANAGER_B], role=Membership.Role.MANAGER)
    Membership.objects.create(team=team_a, user=users[MANAGER_A], role=Membership.Role.MANAGER)
    instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    users[INSTRUCTOR].groups.add(instructors)
    return Roles(team_a=team_a, team_b=team_b, users=users)


@pytest.fixture
def roles(db) -> Roles:
    return make_roles()
