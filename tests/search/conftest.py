"""Fixtures for the search tests: the shipped content, loaded once per module, and users."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from accounts.roles import INSTRUCTORS


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """The content of content/, as ``make run`` loads it (which also builds the index); rolled
    back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", "content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def instructor(make_user):
    user = make_user("ines", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    return user
