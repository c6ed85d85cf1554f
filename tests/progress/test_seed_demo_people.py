"""The demo team names its people and carries due dates, so the dashboards show both."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Assignment, Profile, Team
from accounts.names import display_name
from progress.attention import Reason
from progress.demo import LEARNERS, MANAGER, TEAM_SLUG, WITHOUT_DISPLAY_NAME, learner_username
from progress.selectors import team_progress
from progress.selectors.attention import concerns_by_member, team_assignments
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True


def test_learners_have_display_names_but_one_and_courses_have_due_dates(django_user_model):
    first, second, third = (make_course(slug=s, order=n, lessons=2) for n, s in enumerate("abc", 1))
    call_command("seed_demo", stdout=io.StringIO())
    names = {
        user.username: display_name(user)
        for user in django_user_model.objects.select_related("profile")
    }
    assert names[learner_username(1)] == "Amira Haddad"
    assert names[learner_username(WITHOUT_DISPLAY_NAME)] == learner_username(WITHOUT_DISPLAY_NAME)
    assert names[MANAGER] == "Maya Manager"
    assert Profile.objects.count() == len(LEARNERS)  # eleven learners and the manager

    team = Team.objects.get(slug=TEAM_SLUG)
    today = timezone.localdate()
    due = {a.course.slug: a.due_on for a in Assignment.objects.filter(team=team).select_related("course")}
    assert due == {"a": today - timezone.timedelta(days=5), "b": today + timezone.timedelta(days=5), "c": None}

    concerns = concerns_by_member(
        data=team_progress(team=team), assignments=team_assignments(team), now=timezone.now()
    )
    reasons = {reason for member in concerns.values() for reason in (c.reason for c in member)}
    assert {Reason.OVERDUE, Reason.DUE_SOON, Reason.NOT_STARTED} <= reasons

    call_command("seed_demo", stdout=io.StringIO())
    assert Profile.objects.count() == len(LEARNERS)
    assert Assignment.objects.filter(team=team).count() == 3
