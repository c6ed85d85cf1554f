"""The dashboards and the CSV cost a fixed number of queries whatever the team size."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from benchmarks.budgets import DASHBOARD_BUDGET
from benchmarks.budgets import queries as budget
from courses.models import Enrollment
from lessons.models import LessonCompletion
from matrix.models import MatrixPrediction
from progress.selectors import MEMBERS_PER_PAGE
from quizzes.models import Attempt, Response
from review.selectors import summary
from tests.factories import (
    at,
    make_course,
    make_matrix,
    make_person,
    make_quiz,
    make_team,
    published_lessons,
)

pytestmark = pytest.mark.django_db

# The counts come from benchmarks/budgets.py (the table the README shows).
# session + user, the team with access flags, members, courses with totals (and their quiz
# lists), three progress aggregates, lessons, completions by lesson, choices, first-attempt
# responses, matrix cells with counts, mastery (objectives and evidence, one union), and the
# fingerprint of the team's activity (the cache key).
TEAM_DASHBOARD_QUERIES = budget("team_dashboard")
# The same with the team-level aggregates cached: no progress aggregates, choices, responses,
# matrix cells or mastery.
TEAM_DASHBOARD_CACHED_QUERIES = budget("team_dashboard_cached")
# session + user, the team, members (with their profiles), courses with totals, the fingerprint
# of the team's activity (the kept CSV's key), three progress aggregates, mastery.
CSV_QUERIES = budget("team_csv")
# session + user, the team with access flags, the membership (user and profile), the courses
# (totals, quizzes, lessons, assignment), three progress aggregates, completions with dates,
# attempts, checks per lesson, mastery.
MEMBER_PAGE_QUERIES = budget("team_member")
# session + user, the teams one may see.
TEAM_LIST_QUERIES = budget("team_list")
# The same with the mastery kept: who answered since, and their answers.
CSV_KEPT_QUERIES = budget("team_csv_kept")
# The CSV kept whole: session + user, the team, members, courses, the fingerprint.
CSV_BODY_KEPT_QUERIES = budget("team_csv_body_kept")
LEARNER_DASHBOARD_MAX = 10


def populate(team, size, *, courses, quizzes, cells):
    """``size`` members with varied completions, enrolments, first attempts and predictions."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"member-{n:03d}", password="!") for n in range(size)]
    )
    Membership.objects.bulk_create([Membership(team=team, user=user) for user in users])
    lessons = [lesson for course in courses for lesson in published_lessons(course=course)]
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course) for user in users for course in courses]
    )
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(user=user, lesson=lesson)
            for n, user in enumerate(users)
            for lesson in lessons[: n % (len(lessons) + 1)]
        ]
    )
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                user=user,
                quiz=quiz,
                submitted_at=at(days_ago=n % 20),
                score=n % 3,
                total=3,
                percent=(n % 3) * 33,
                passed=n % 3 == 2,
            )
            for n, user in enumerate(users)
            for quiz in quizzes
        ]
    )
    questions = {quiz.pk: list(quiz.questions.prefetch_related("choices")) for quiz in quizzes}
    responses, picks = [], []
    for n, attempt in enumerate(attempts):
        for question in questions[attempt.quiz_id]:
            choice = list(question.choices.all())[n % 3]
            responses.append(
                Response(attempt=attempt, question=question, is_correct=choice.is_correct)
            )
            picks.append(choice)
    Response.objects.bulk_create(responses)
    Response.chosen.through.objects.bulk_create(
        [
            Response.chosen.through(response_id=r.pk, choice_id=c.pk)
            for r, c in zip(responses, picks, strict=True)
        ]
    )
    MatrixPrediction.objects.bulk_create(
        [
            MatrixPrediction(
                user=user, cell=cell, predicted=cell.winner, is_correct=n % 2 == 0, is_first=True
            )
            for n, user in enumerate(users)
            for cell in cells
        ]
    )


@pytest.fixture
def team_of():
    def build(size):
        courses = [
            make_course(slug="one", lessons=4, order=1),
            make_course(slug="two", order=2, lessons=3),
        ]
        quizzes = [
            make_quiz(course=courses[0], slug="q-one", questions=3),
            make_quiz(course=courses[1], slug="q-two", questions=2),
        ]
        cells = make_matrix()
        manager = make_person(username="manager")
        team = make_team(courses=courses, managers=[manager])
        populate(team, size, courses=courses, quizzes=quizzes, cells=cells)
        return team, manager

    return build


def logged_in(client, user):
    """Log ``user`` in with the header's review summary cached, as after any page they saw in
    the last few minutes (review/selectors.py); the page's own caches stay cold."""
    client.force_login(user)
    summary(user=user, now=timezone.now())


@pytest.mark.parametrize("size", [5, 200])
def test_team_dashboard_queries_do_not_grow_with_the_team(
    client, team_of, size, django_assert_num_queries
):
    team, manager = team_of(size)
    logged_in(client, manager)
    last_page = (size - 1) // MEMBERS_PER_PAGE + 1
    with django_assert_num_queries(TEAM_DASHBOARD_QUERIES):
        response = client.get(
            reverse("progress:team", kwargs={"team": team.slug}) + f"?page={last_page}"
        )
    assert response.status_code == 200
    assert f"member-{size - 1:03d}" in response.content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_team_dashboard_with_a_course_filter_costs_the_same(
    client, team_of, size, django_assert_num_queries
):
    team, manager = team_of(size)
    logged_in(client, manager)
    with django_assert_num_queries(TEAM_DASHBOARD_QUERIES):
        response = client.get(reverse("progress:team", kwargs={"team": team.slug}) + "?course=two")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 200])
def test_csv_queries_do_not_grow_with_the_team(client, team_of, size, django_assert_num_queries):
    team, manager = team_of(size)
    logged_in(client, manager)
    with django_assert_num_queries(CSV_QUERIES):
        response = client.get(reverse("progress:export", kwargs={"team": team.slug}))
    assert response.status_code == 200
    assert len(response.content.decode().strip().splitlines()) == 1 + size * 2


@pytest.mark.parametrize("size", [5, 200])
def test_a_csv_with_the_mastery_kept_asks_who_answered_since_in_one_query_at_any_size(
    client, team_of, size, django_assert_num_queries
):
    team, manager = team_of(size)
    logged_in(client, manager)
    url = reverse("progress:export", kwargs={"team": team.slug})
    first = client.get(url)
    # Nothing changed: the CSV kept whole, the same bytes.
    with django_assert_num_queries(CSV_BODY_KEPT_QUERIES):
        second = client.get(url)
    assert second.content == first.content
    # A member renamed: the CSV is written again, the mastery kept (who answered since: the
    # members answered moments ago, so they are read again).
    get_user_model().objects.filter(username="member-000").update(first_name="Renamed")
    with django_assert_num_queries(CSV_KEPT_QUERIES):
        third = client.get(url)
    assert third.content != first.content and b"Renamed" in third.content


@pytest.mark.parametrize("size", [5, 200])
def test_a_cached_team_dashboard_costs_fewer_queries_and_the_same_at_any_size(
    client, team_of, size, django_assert_num_queries
):
    team, manager = team_of(size)
    logged_in(client, manager)
    url = reverse("progress:team", kwargs={"team": team.slug}) + "?page=2"
    first = client.get(url)
    with django_assert_num_queries(TEAM_DASHBOARD_CACHED_QUERIES):
        second = client.get(url)
    assert without_tokens(second) == without_tokens(first)


def without_tokens(response):
    """The page without what differs per request: CSP nonces and CSRF tokens."""
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r"[A-Za-z0-9_\-+/=]{32,}", "", body)


def test_the_counts_are_within_the_budget():
    assert (
        max(
            TEAM_DASHBOARD_QUERIES,
            TEAM_DASHBOARD_CACHED_QUERIES,
            CSV_QUERIES,
            CSV_KEPT_QUERIES,
            CSV_BODY_KEPT_QUERIES,
        )
        <= DASHBOARD_BUDGET
    )


def test_an_instructor_sees_the_dashboard_for_the_same_number_of_queries(
    client, team_of, django_assert_num_queries
):
    from django.contrib.auth.models import Group

    from accounts.roles import INSTRUCTORS

    team, _ = team_of(5)
    instructor = make_person(username="instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    logged_in(client, instructor)
    with django_assert_num_queries(TEAM_DASHBOARD_QUERIES):
        assert client.get(reverse("progress:team", kwargs={"team": team.slug})).status_code == 200


@pytest.mark.parametrize("busy", [False, True])
def test_learner_dashboard_stays_within_ten_queries(
    client, team_of, busy, django_assert_max_num_queries, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    team, _ = team_of(5)
    user = (
        get_user_model().objects.get(username="member-004") if busy else make_person(username="new")
    )
    logged_in(client, user)
    with django_assert_max_num_queries(LEARNER_DASHBOARD_MAX):
        response = client.get(reverse("progress:mine"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 200])
def test_a_members_page_costs_the_same_in_any_team(
    client, team_of, size, django_assert_num_queries
):
    team, manager = team_of(size)
    logged_in(client, manager)
    membership = team.memberships.filter(role=Membership.Role.MEMBER).order_by("-pk").first()
    url = reverse("progress:member", kwargs={"team": team.slug, "membership": membership.pk})
    with django_assert_num_queries(MEMBER_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and membership.user.username in response.content.decode()


@pytest.mark.parametrize("teams", [1, 12])
def test_the_list_of_teams_costs_the_same_for_any_number(client, teams, django_assert_num_queries):
    manager = make_person(username="manager")
    for n in range(teams):
        make_team(slug=f"t-{n}", managers=[manager])
    logged_in(client, manager)
    with django_assert_num_queries(TEAM_LIST_QUERIES):
        body = client.get(reverse("progress:teams")).content.decode()
    assert body.count('href="/teams/t-') >= teams
