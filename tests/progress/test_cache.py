"""The team dashboard's cached aggregates (summary, quiz shares, who needs attention, the
week, funnels, item analysis, misconception maps) change at once when a member submits,
completes, predicts, starts a course or joins, and when a manager changes a due date: the
cache key holds a fingerprint of that activity and the team's assignments. Lesson views in a
course already started move it at most once per SEEN_EVERY."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assignment
from benchmarks.budgets import queries as budget
from progress.attention import Reason
from progress.selectors import team_fingerprint
from progress.selectors.team_cache import SEEN_EVERY, seen_bucket
from tests.factories import (
    at,
    complete_lessons,
    enrol,
    make_course,
    make_matrix,
    make_person,
    make_quiz,
    make_team,
    predict,
    published_lessons,
    submit_attempt,
    visit,
)

pytestmark = pytest.mark.django_db
CACHED_QUERIES = budget("team_dashboard_cached")  # no aggregates, choices, responses or cells


@pytest.fixture
def world():
    course = make_course(slug="docs", lessons=2, order=1)
    quiz = make_quiz(course=course, slug="docs-check", questions=2)
    cells = make_matrix()
    manager = make_person(username="manager")
    ann, bob = make_person(username="ann"), make_person(username="bob")
    team = make_team(slug="ward-7", courses=[course], managers=[manager], members=[ann, bob])
    submit_attempt(user=ann, quiz=quiz, picks=["right", "right"], days_ago=1)
    complete_lessons(user=ann, lessons=[published_lessons(course=course)[0]], days_ago=1)
    predict(user=ann, cell=cells[1], right=True)
    return {"team": team, "manager": manager, "ann": ann, "bob": bob, "course": course,
            "quiz": quiz, "cells": cells}


def cached_dashboard(client, world, django_assert_num_queries):
    """The dashboard served from the cache: the test fails if the aggregates were not cached."""
    client.force_login(world["manager"])
    url = reverse("progress:team", kwargs={"team": "ward-7"})
    client.get(url)
    with django_assert_num_queries(CACHED_QUERIES):
        return client.get(url)


def fresh_dashboard(client):
    return client.get(reverse("progress:team", kwargs={"team": "ward-7"}))


def test_a_new_submission_shows_at_once(client, world, django_assert_num_queries):
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert [a.takers for a in before.context["dashboard"].quizzes] == [1]
    # Older than the latest attempt: the count in the fingerprint catches it, not only the time.
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["wrong A", "right"], days_ago=3)
    after = fresh_dashboard(client)
    (analysis,) = after.context["dashboard"].quizzes
    assert analysis.takers == 2
    assert [(item.answered, item.right) for item in analysis.items] == [(2, 1), (2, 2)]
    assert "2 members submitted a first attempt." in after.content.decode()
    assert [share.passed for share in after.context["dashboard"].quiz_shares] == [1]
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    assert [share.passed for share in fresh_dashboard(client).context["dashboard"].quiz_shares] == [2]


def reasons_of(response, user):
    return [c.reason for uid, found in response.context["dashboard"].attention if uid == user.pk for c in found]


def test_a_first_lesson_view_shows_at_once(client, world, django_assert_num_queries):
    """Bob joined weeks ago and never started: not started, until he opens a lesson (a new
    enrolment moves the fingerprint's count)."""
    world["team"].memberships.filter(user=world["bob"]).update(joined_at=at(days_ago=30))
    Assignment.objects.filter(team=world["team"]).update(assigned_at=at(days_ago=30))
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert reasons_of(before, world["bob"]) == [Reason.NOT_STARTED]
    visit(user=world["bob"], lesson=published_lessons(course=world["course"])[1])
    assert reasons_of(fresh_dashboard(client), world["bob"]) == []


@pytest.fixture
def clock(monkeypatch):
    """Sets the present (``clock(moment)``), for the database's timestamps and the pages alike."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment)


def test_lesson_views_of_enrolled_members_move_the_fingerprint_once_a_period(world, clock):
    lessons = published_lessons(course=world["course"])
    for person in ("ann", "bob"):
        enrol(user=world[person], course=world["course"], days_ago=20)
    start = seen_bucket(timezone.now()) + datetime.timedelta(minutes=1)
    clock(start)
    visit(user=world["bob"], lesson=lessons[0])
    first = team_fingerprint(world["team"])
    for minutes, person, lesson in [(3, "ann", lessons[0]), (4, "bob", lessons[1]), (8, "ann", lessons[1])]:
        clock(start + datetime.timedelta(minutes=minutes))
        visit(user=world[person], lesson=lesson)
        assert team_fingerprint(world["team"]) == first
    clock(start + datetime.timedelta(seconds=SEEN_EVERY))
    visit(user=world["bob"], lesson=lessons[0])
    assert team_fingerprint(world["team"]) != first


def test_a_new_enrolment_completion_or_submission_moves_the_fingerprint_within_a_period(world, clock):
    enrol(user=world["ann"], course=world["course"], days_ago=20)
    clock(seen_bucket(timezone.now()) + datetime.timedelta(minutes=1))
    seen = [team_fingerprint(world["team"])]
    visit(user=world["bob"], lesson=published_lessons(course=world["course"])[0])  # enrols him
    seen.append(team_fingerprint(world["team"]))
    complete_lessons(user=world["bob"], lessons=published_lessons(course=world["course"])[:1])
    seen.append(team_fingerprint(world["team"]))
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    seen.append(team_fingerprint(world["team"]))
    assert len(set(seen)) == 4


def test_an_active_member_leaves_the_inactive_list_within_the_period(
    client, world, clock, django_assert_num_queries
):
    """Bob started weeks ago and did nothing since: inactive. Ann is active; Bob's lesson view
    in the same period keeps the dashboard cached, and shows after the period."""
    world["team"].memberships.filter(user=world["bob"]).update(joined_at=at(days_ago=30))
    enrol(user=world["bob"], course=world["course"], days_ago=20)
    complete_lessons(user=world["bob"], lessons=[published_lessons(course=world["course"])[0]], days_ago=20)
    start = seen_bucket(timezone.now()) + datetime.timedelta(minutes=1)
    clock(start)
    visit(user=world["ann"], lesson=published_lessons(course=world["course"])[0])
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert reasons_of(before, world["bob"]) == [Reason.INACTIVE]
    clock(start + datetime.timedelta(minutes=2))
    visit(user=world["bob"], lesson=published_lessons(course=world["course"])[1])
    with django_assert_num_queries(CACHED_QUERIES):
        during = fresh_dashboard(client)
    assert reasons_of(during, world["bob"]) == [Reason.INACTIVE]
    clock(start + datetime.timedelta(seconds=SEEN_EVERY))
    after = fresh_dashboard(client)
    assert reasons_of(after, world["bob"]) == []
    assert after.context["dashboard"].summary.has_activity


def test_a_due_date_set_or_moved_shows_at_once(client, world, django_assert_num_queries):
    """No member activity changes; only the assignment does, and the figures follow it."""
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert reasons_of(before, world["bob"]) == []
    assignment = Assignment.objects.get(team=world["team"], course=world["course"])
    assignment.due_on = timezone.localdate() - datetime.timedelta(days=2)
    assignment.save()
    after = fresh_dashboard(client)
    assert reasons_of(after, world["bob"]) == [Reason.OVERDUE]
    assert after.context["dashboard"].summary.overdue == {world["course"].pk: 2}
    assert "Overdue: Docs was due" in after.content.decode()
    assignment.due_on = timezone.localdate() + datetime.timedelta(days=30)
    assignment.save()
    assert fresh_dashboard(client).context["dashboard"].summary.overdue == {}


def test_a_new_completion_shows_at_once_in_the_funnel(client, world, django_assert_num_queries):
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert [s.completed for s in before.context["charts"]["funnels"][0]["steps"]] == [1, 0]
    complete_lessons(user=world["bob"], lessons=[published_lessons(course=world["course"])[1]], days_ago=5)
    after = fresh_dashboard(client)
    assert [s.completed for s in after.context["charts"]["funnels"][0]["steps"]] == [1, 1]


def test_a_new_first_prediction_shows_at_once_in_the_misconception_map(
    client, world, django_assert_num_queries
):
    before = cached_dashboard(client, world, django_assert_num_queries)
    assert before.context["dashboard"].matrices[0].predicted == 1
    predict(user=world["bob"], cell=world["cells"][1], right=False)
    after = fresh_dashboard(client)
    (matrix,) = after.context["dashboard"].matrices
    assert matrix.predicted == 2
    assert "50% <span class=\"muted\">(1/2)</span>" in after.content.decode()


def test_a_new_member_shows_at_once(client, world, django_assert_num_queries):
    cached_dashboard(client, world, django_assert_num_queries)
    cai = make_person(username="cai")
    world["team"].memberships.create(user=cai, role="member")
    submit_attempt(user=cai, quiz=world["quiz"], picks=["right", "wrong A"], days_ago=10)  # before they joined: counted
    assert fresh_dashboard(client).context["dashboard"].quizzes[0].takers == 2


def test_the_fingerprint_changes_with_activity_and_not_without():
    course = make_course(slug="docs", lessons=1, order=1)
    quiz = make_quiz(course=course, slug="q", questions=1)
    ann, outsider = make_person(username="ann"), make_person(username="outsider")
    team = make_team(slug="ward-7", courses=[course], members=[ann])
    first = team_fingerprint(team)
    assert team_fingerprint(team) == first
    submit_attempt(user=outsider, quiz=quiz, picks=["right"])  # not a member: no change
    complete_lessons(user=outsider, lessons=[published_lessons(course=course)[0]])
    assert team_fingerprint(team) == first
    submit_attempt(user=ann, quiz=quiz, picks=["right"])
    assert team_fingerprint(team) != first


def test_teams_do_not_share_cached_figures(client, world):
    other = make_team(slug="ward-8", courses=[world["course"]], managers=[world["manager"]],
                      members=[world["bob"]])
    client.force_login(world["manager"])
    assert fresh_dashboard(client).context["dashboard"].quizzes[0].takers == 1
    response = client.get(reverse("progress:team", kwargs={"team": other.slug}))
    assert response.context["dashboard"].quizzes[0].takers == 0


def figures_read(context) -> str:
    """The SQL of the captured queries but the fingerprint's (which counts every content
    table's rows, objectives and matrix cells among them, to see edits)."""
    return " ".join(query["sql"] for query in context.captured_queries if "content:" not in query["sql"])


def test_a_lesson_completed_redoes_the_progress_figures_only(client, world, django_assert_num_queries):
    """Mastery, item analysis and the matrix stay cached: their reads are not made again."""
    cached_dashboard(client, world, django_assert_num_queries)
    complete_lessons(user=world["bob"], lessons=[published_lessons(course=world["course"])[1]], days_ago=0)
    with django_assert_num_queries(budget("team_dashboard_after_completion")) as context:
        response = fresh_dashboard(client)
    sql = figures_read(context)
    assert "quizzes_response" not in sql and "matrix_matrixcell" not in sql and "lessons_objective" not in sql
    assert response.context["dashboard"].week.changes[0].this_week == 2


def test_a_quiz_submitted_redoes_mastery_and_item_analysis_but_not_the_matrix(client, world, django_assert_num_queries):
    cached_dashboard(client, world, django_assert_num_queries)
    submit_attempt(user=world["bob"], quiz=world["quiz"], picks=["right", "right"])
    # The matrix is not read again; mastery asks who answered since it was last read (one
    # query for the other).
    with django_assert_num_queries(budget("team_dashboard")) as context:
        fresh_dashboard(client)
    sql = figures_read(context)
    assert "quizzes_response" in sql and "lessons_objective" in sql and "matrix_matrixcell" not in sql
