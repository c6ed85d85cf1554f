"""The synthetic cohort generator behind `make bench`."""

import statistics

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import Membership, Team
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from matrix.models import DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction, MatrixRow
from progress.cohort import make_cohort
from quizzes.models import Attempt, Choice, Question, Quiz, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    course = Course.objects.create(slug="track", title="Track", summary="s", is_published=True)
    for n in range(4):
        Lesson.objects.create(course=course, slug=f"l{n}", title=f"L{n}", order=n, body="x",
                              status=Lesson.Status.PUBLISHED)
    Lesson.objects.create(course=course, slug="draft", title="Draft", order=9, body="x")
    quiz = Quiz.objects.create(course=course, slug="q", title="Q", is_published=True)
    for n in range(5):
        question = Question.objects.create(quiz=quiz, order=n, prompt=f"P{n}", explanation="E",
                                           kind=Question.Kind.MULTIPLE if n == 0 else Question.Kind.SINGLE)
        Choice.objects.create(question=question, text="right", is_correct=True)
        Choice.objects.create(question=question, text="wrong", is_correct=False)
        Choice.objects.create(question=question, text="also", is_correct=n == 0)
    matrix = DecisionMatrix.objects.create(slug="m", title="M", is_published=True)
    weak = MatrixColumn.objects.create(matrix=matrix, key="weak", label="Weak", order=0, is_default=True)
    strong = MatrixColumn.objects.create(matrix=matrix, key="strong", label="Strong", order=1)
    for n in range(4):
        row = MatrixRow.objects.create(matrix=matrix, key=f"r{n}", label=f"R{n}", order=n)
        for column in (weak, strong):
            MatrixCell.objects.create(row=row, column=column, verdict="v", winner="generalist", explanation="e")
    return course


def snapshot():
    return (
        sorted(Attempt.objects.values_list("user__username", "percent", "submitted_at")),
        LessonCompletion.objects.count(),
        MatrixPrediction.objects.count(),
    )


def test_cohort_fills_every_table_with_a_spread_of_scores(content):
    stats = make_cohort(learners=60, teams=3, seed=7)
    User = get_user_model()
    assert User.objects.filter(username__startswith="load-learner-").count() == 60
    assert Team.objects.filter(slug__startswith="load-team-").count() == 3
    assert Membership.objects.filter(role="manager").count() == 3
    assert Membership.objects.filter(role="member").count() == 60
    assert stats.counts["lesson completions"] == LessonCompletion.objects.count() > 0
    assert not LessonCompletion.objects.filter(lesson__status="draft").exists()
    percents = list(Attempt.objects.values_list("percent", flat=True))
    assert len(percents) > 20
    assert statistics.pstdev(percents) > 10  # a realistic spread, not one score for everyone
    assert Response.objects.count() == 5 * len(percents)
    # Only predictions for the hidden (non-default) column, one first prediction per cell.
    assert not MatrixPrediction.objects.filter(cell__column__is_default=True).exists()
    assert MatrixPrediction.objects.filter(is_first=True).count() == MatrixPrediction.objects.count()


def test_cohort_gets_one_review_card_per_question_answered_and_a_log_per_answer(content):
    from review.models import Card, ReviewLog

    stats = make_cohort(learners=40, teams=2, seed=3)
    answered = set(Response.objects.values_list("attempt__user", "question").distinct())
    assert set(Card.objects.values_list("user", "question")) == answered
    assert stats.counts["review cards"] == len(answered) > 0
    assert ReviewLog.objects.count() == Response.objects.count() == stats.counts["review logs"]
    # Answered days ago, a few times at most: cards are due, so /review/ has work to show.
    assert Card.objects.filter(due__lte=timezone.now()).exists()
    card = Card.objects.select_related("user").first()
    last = Attempt.objects.filter(user=card.user, responses__question=card.question_id)
    assert card.last_review == max(last.values_list("submitted_at", flat=True))


def test_grades_agree_with_the_chosen_answers(content):
    make_cohort(learners=30, teams=2, seed=3)
    for response in Response.objects.prefetch_related("chosen", "question__choices")[:100]:
        right = {c.pk for c in response.question.choices.all() if c.is_correct}
        assert ({c.pk for c in response.chosen.all()} == right) == response.is_correct


def test_same_seed_gives_the_same_cohort_and_a_rerun_replaces_it(content):
    make_cohort(learners=40, teams=2, seed=11)
    first = snapshot()
    make_cohort(learners=40, teams=2, seed=11)
    assert snapshot()[1:] == first[1:]
    assert [row[:2] for row in snapshot()[0]] == [row[:2] for row in first[0]]
    assert get_user_model().objects.filter(username__startswith="load-").count() == 42


def test_past_timestamps_are_kept(content):
    make_cohort(learners=30, teams=2, seed=5)
    oldest = LessonCompletion.objects.order_by("completed_at").first().completed_at
    newest = LessonCompletion.objects.order_by("-completed_at").first().completed_at
    assert (newest - oldest).days >= 7


@override_settings(DEBUG=False)
def test_command_refuses_with_debug_off_unless_forced(content):
    with pytest.raises(CommandError, match="--force"):
        call_command("make_load_data", "--learners", "5", "--teams", "1")
    call_command("make_load_data", "--learners", "5", "--teams", "1", "--force")
    assert get_user_model().objects.filter(username__startswith="load-learner-").count() == 5


@override_settings(DEBUG=True)
def test_command_needs_content(db):
    with pytest.raises(CommandError, match="load_content"):
        call_command("make_load_data", "--learners", "5")


def test_everyone_team_holds_every_learner_with_its_own_manager(content):
    make_cohort(learners=25, teams=3, seed=2, everyone=True)
    team = Team.objects.get(slug="load-everyone")
    assert team.memberships.filter(role="member").count() == 25
    manager = team.memberships.get(role="manager").user
    assert manager.username == "load-manager-everyone"
    assert list(team.courses.all()) == [content]
    # Every learner keeps their own team as well.
    assert Membership.objects.filter(role="member").count() == 50
    make_cohort(learners=25, teams=3, seed=2, everyone=True)  # a rerun replaces it
    assert Team.objects.filter(slug="load-everyone").count() == 1


def test_about_four_in_five_learners_have_a_display_name(content):
    from accounts.models import Profile
    from accounts.names import display_name

    stats = make_cohort(learners=200, teams=2, seed=9)
    named = Profile.objects.filter(user__username__startswith="load-learner-")
    assert 0.7 * 200 <= named.count() == stats.counts["display names"] <= 0.9 * 200
    person = named.select_related("user").first().user
    assert display_name(person) != person.username and " " in display_name(person)
    unnamed = get_user_model().objects.filter(username__startswith="load-learner-", profile__isnull=True).first()
    assert display_name(unnamed) == unnamed.username


def test_assigned_courses_have_due_dates_some_past_some_near(content):
    import datetime

    from accounts.models import Assignment

    second = Course.objects.create(slug="second", title="Second", summary="s", is_published=True, order=2)
    make_cohort(learners=10, teams=3, seed=2, everyone=True)
    today = timezone.localdate()
    due = {(a.team.slug, a.course.slug): a.due_on for a in Assignment.objects.select_related("team", "course")}
    assert due[("load-team-01", "track")] == due[("load-team-02", "track")] == today - datetime.timedelta(days=7)
    assert due[("load-team-03", "track")] is None  # one team in three has no due date
    assert due[("load-team-01", "second")] == due[("load-everyone", "second")] == today + datetime.timedelta(days=5)
    assert all(a.assigned_at < timezone.now() - datetime.timedelta(days=90) for a in Assignment.objects.all())
    assert second.teams.count() == 4
