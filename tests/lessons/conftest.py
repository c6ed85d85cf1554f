"""Fixtures for the courses and lessons tests: an instructor, as createinstructor makes one."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import INSTRUCTORS


@pytest.fixture
def instructor(make_user):
    user = make_user("ines", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client
