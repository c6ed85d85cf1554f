"""``manage.py seed_demo``: development only, idempotent, sensible with or without content."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Team
from accounts.names import display_name
from accounts.roles import INSTRUCTORS
from courses.models import Enrollment
from lessons.models import LessonCompletion
from matrix.models import MatrixPrediction
from progress.attention import Reason
from progress.demo import DEMO_PASSWORD, INSTRUCTOR, LEARNERS, MANAGER, TEAM_SLUG
from progress.selectors import team_dashboard
from quizzes.models import Attempt, Response
from tests.factories import make_course, make_matrix, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    """The test runner turns debug off; seed_demo is a development command."""
    settings.DEBUG = True


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        "memberships": Membership.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "attempts": Attempt.objects.count(),
        "responses": Response.objects.count(),
        "predictions": MatrixPrediction.objects.count(),
    }


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Team.objects.filter(slug=TEAM_SLUG).exists()


def test_without_content_makes_the_accounts_and_says_what_it_skipped(django_user_model):
    output = seed()
    team = Team.objects.get(slug=TEAM_SLUG)
    assert team.memberships.filter(role="manager", user__username=MANAGER).exists()
    assert team.memberships.filter(role="member").count() == len(LEARNERS) == 12
    instructor = django_user_model.objects.get(username=INSTRUCTOR)
    assert instructor.is_staff and instructor.groups.filter(name=INSTRUCTORS).exists()
    assert "load_content" in output and "Skipped" in output
    assert DEMO_PASSWORD in output and MANAGER in output and "demo-learner-01" in output
    assert counts()["completions"] == 0


def test_with_content_gives_varied_progress_and_running_again_changes_nothing(django_user_model):
    courses = [make_course(slug="one", lessons=4, order=1), make_course(slug="two", order=2, lessons=5)]
    make_quiz(course=courses[0], slug="q-one", questions=4)
    make_quiz(course=courses[1], slug="q-two", questions=3)
    make_matrix()
    seed()
    before = counts()
    assert before["completions"] and before["attempts"] and before["predictions"]
    assert before["responses"] >= before["attempts"] * 3
    assert Attempt.objects.filter(submitted_at__isnull=True).count() == 0
    manager = django_user_model.objects.get(username=MANAGER)
    assert manager.check_password(DEMO_PASSWORD)

    dashboard = team_dashboard(team=Team.objects.get(slug=TEAM_SLUG))
    percents = {p.percent for _, _, p in dashboard.data.rows()}
    assert 0 in percents and 100 in percents and len(percents) >= 4
    reasons = {concern.reason for _, found in dashboard.attention for concern in found}
    assert Reason.INACTIVE in reasons, "the demo shows someone inactive for weeks"
    assert Reason.NOT_STARTED in reasons, "and someone who never started"
    assert Reason.OVERDUE in reasons and Reason.DUE_SOON in reasons, "and due dates"
    names = {display_name(m.user) for m in dashboard.data.members}
    assert names >= {"Amira Haddad", "Lena Novak", "demo-learner-11"}  # one kept no display name
    assert all(quiz.takers >= 4 for quiz in dashboard.quizzes)
    assert any(m.predicted for m in dashboard.matrices)

    output = seed()
    assert counts() == before
    assert "nothing changed" in output


def test_keeps_a_password_someone_changed(django_user_model):
    seed()
    manager = django_user_model.objects.get(username=MANAGER)
    manager.set_password("changed-it-myself-1")
    manager.save()
    seed()
    manager.refresh_from_db()
    assert manager.check_password("changed-it-myself-1")


def test_content_loaded_later_is_used_on_the_next_run():
    seed()
    make_quiz(course=make_course(slug="one", lessons=3, order=1), slug="q", questions=2)
    output = seed()
    assert "Synthetic progress for" in output
    assert LessonCompletion.objects.exists()
