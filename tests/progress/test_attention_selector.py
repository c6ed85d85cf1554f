"""Who in a team needs attention (progress/selectors/attention.py), from real rows."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership
from progress.attention import Reason
from progress.selectors import team_progress
from progress.selectors.attention import concerns_by_member, team_assignments
from progress.selectors.mastery import team_mastery
from tests.factories import (
    at,
    complete_lessons,
    make_course,
    make_objective,
    make_person,
    make_quiz,
    make_team,
    published_lessons,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


def test_each_member_is_flagged_for_what_applies_to_them(django_assert_num_queries):
    course = make_course(slug="imaging", lessons=2)
    quiz = make_quiz(course=course, questions=1)
    lesson = published_lessons(course=course)[0]
    make_objective(lesson=lesson)
    fresh, idle, failing, done = (make_person(username=n) for n in ("fresh", "idle", "failing", "done"))
    team = make_team(courses=[course], members=[fresh, idle, failing, done],
                     assigned_at=at(days_ago=30), due_on=timezone.localdate() - datetime.timedelta(days=2))  # fmt: skip
    Membership.objects.filter(user=fresh).update(joined_at=at(days_ago=2))
    Membership.objects.filter(user__in=[idle, failing, done]).update(joined_at=at(days_ago=30))
    complete_lessons(user=idle, lessons=[lesson], days_ago=20)
    submit_attempt(user=failing, quiz=quiz, picks=["wrong A"], confidences=["sure"], days_ago=1)
    complete_lessons(user=done, lessons=published_lessons(course=course), days_ago=3)
    submit_attempt(user=done, quiz=quiz, picks=["right"], days_ago=3)

    data = team_progress(team=team)
    mastery = team_mastery(user_ids=[m.user_id for m in data.members], course_ids=[course.pk])
    with django_assert_num_queries(1):
        assignments = team_assignments(team)
    with django_assert_num_queries(0):
        concerns = concerns_by_member(data=data, assignments=assignments, now=timezone.now(), mastery=mastery)

    def reasons(user):
        return [concern.reason for concern in concerns[user.pk]]

    # Joined two days ago: not yet "not started", but the course is overdue for them too.
    assert reasons(fresh) == [Reason.OVERDUE]
    assert reasons(idle) == [Reason.OVERDUE, Reason.INACTIVE]
    assert reasons(failing)[:2] == [Reason.OVERDUE, Reason.FAILING_QUIZ]
    assert concerns[failing.pk][1].subject_id == quiz.pk
    assert concerns[done.pk] == []
    without_mastery = concerns_by_member(data=data, assignments=assignments, now=timezone.now())
    assert Reason.CONFIDENTLY_WRONG not in [c.reason for c in without_mastery[failing.pk]]
