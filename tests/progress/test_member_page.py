"""A member's page on the team side (/teams/<team>/members/<membership>/): who may see it, what
it shows, and its fixed number of queries."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Profile
from accounts.roles import INSTRUCTORS
from benchmarks.budgets import queries as budget
from practice.models import BlockPlacement
from review.selectors import summary
from tests.factories import (
    answer_block,
    complete_lessons,
    make_block,
    make_course,
    make_objective,
    make_person,
    make_quiz,
    make_team,
    published_lessons,
    submit_attempt,
)
from tests.html import elements

pytestmark = pytest.mark.django_db
MEMBER_QUERIES = budget("team_member")


@pytest.fixture
def ward():
    """Ann in Ward 7, overdue on imaging (due 4 days ago), failing its quiz, sure but wrong on
    one objective; diagnostics not started. Boss manages Ward 7, Other manages Ward 8."""
    imaging = make_course(slug="imaging", title="Imaging AI", lessons=3, order=1)
    dx = make_course(slug="dx", title="Diagnostics AI", lessons=1, order=2)
    quiz = make_quiz(course=imaging, slug="imaging-check", title="Imaging check", questions=2, pass_percent=70)
    lessons = published_lessons(course=imaging)
    objective = make_objective(lesson=lessons[0], key="labels", text="Choose the label type")
    block = make_block(course=imaging, slug="label-check")
    block.objectives.set([objective])
    other_block = make_block(course=imaging, slug="second-check")
    BlockPlacement.objects.create(lesson=lessons[0], block=block)
    BlockPlacement.objects.create(lesson=lessons[0], block=other_block)
    ann, boss, other = make_person(username="ann"), make_person(username="boss"), make_person(username="other")
    Profile.objects.create(user=ann, display_name="Ann Okafor")
    team = make_team(slug="ward-7", name="Ward 7", courses=[imaging, dx], managers=[boss], members=[ann],
                     due_on=timezone.localdate() - datetime.timedelta(days=4),
                     assigned_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    team.assignments.filter(course=dx).update(due_on=None)
    Membership.objects.filter(team=team, user=ann).update(joined_at=timezone.now() - datetime.timedelta(days=20))
    make_team(slug="ward-8", name="Ward 8", courses=[imaging], managers=[other])
    complete_lessons(user=ann, lessons=lessons[:2], days_ago=3)
    submit_attempt(user=ann, quiz=quiz, picks=["right", "wrong A"], days_ago=2)  # 50 %: not passed
    answer_block(user=ann, block=block, right=False, confidence="sure", days_ago=3)
    membership = Membership.objects.get(team=team, user=ann)
    return {"team": team, "ann": ann, "boss": boss, "other": other, "membership": membership,
            "imaging": imaging, "dx": dx, "quiz": quiz}  # fmt: skip


def url(team="ward-7", membership=None):
    return reverse("progress:member", kwargs={"team": team, "membership": membership})


def page(client, user, address):
    client.force_login(user)
    return client.get(address)


def test_the_manager_sees_the_members_page(client, ward):
    response = page(client, ward["boss"], url(membership=ward["membership"].pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert elements(body, "h1")[0].text == "Ann Okafor"
    assert "Username ann." in body and "Member of Ward 7 since" in body
    assert elements(body, "a", href=reverse("progress:team", kwargs={"team": "ward-7"}))


def test_the_page_says_what_needs_attention_in_words(client, ward):
    body = page(client, ward["boss"], url(membership=ward["membership"].pk)).content.decode()
    section = body.split('id="concerns-heading"')[1].split("</section>")[0]
    due = timezone.localdate() - datetime.timedelta(days=4)
    assert [li.text for li in elements(section, "li", class_="reason")] == [
        f"Overdue: Imaging AI was due {due.day} {due:%b} (4 days ago)",
        "Failing Imaging check: best 50%, pass mark 70%",
        "Sure but wrong on: Choose the label type",
        "Not started Diagnostics AI, assigned 20 days ago",
    ]


def test_per_course_standing_due_date_lessons_attempts_checks_and_mastery(client, ward):
    response = page(client, ward["boss"], url(membership=ward["membership"].pk))
    detail = response.context["detail"]
    imaging, dx = detail.courses
    assert (imaging.progress.lessons_completed, imaging.progress.percent, imaging.progress.complete) == (2, 66, False)
    assert imaging.overdue and imaging.days_late == 4 and not dx.overdue and dx.due_on is None
    assert [line.done_at is not None for line in imaging.lessons] == [True, True, False]
    assert [(line.checks, line.answered, line.first_right) for line in imaging.lessons] == [(2, 1, 0), (0, 0, 0), (0, 0, 0)]
    ((quiz, attempts),) = imaging.attempts
    assert quiz.pass_percent == 70 and [(a.score, a.total, a.percent, a.passed) for a in attempts] == [(1, 2, 50, False)]
    assert [(m.objective.text, m.level.label, m.assessment.confidently_wrong) for m in imaging.mastery] == [
        ("Choose the label type", "Attempted", 1),
    ]
    body = response.content.decode()
    assert "66%" in body and "Overdue</span> 4 days late." in body and "No due date." in body
    assert "1 of 2 (50%)" in body and "Not passed" in body and "pass mark 70%" in body
    assert re.search(r"<td class=\"num\">1 of 2</td>\s*<td class=\"num\">0</td>", body)


def test_the_member_page_costs_the_same_whatever_the_activity(client, ward, django_assert_num_queries):
    boss, ann = ward["boss"], ward["ann"]
    client.force_login(boss)
    summary(user=boss, now=timezone.now())  # the header's review count, warm as after any page
    address = url(membership=ward["membership"].pk)
    with django_assert_num_queries(MEMBER_QUERIES):
        assert client.get(address).status_code == 200
    more = make_quiz(course=ward["imaging"], slug="second-quiz", questions=3)
    for _ in range(5):
        submit_attempt(user=ann, quiz=more, picks=["right", "wrong A", "right"], days_ago=1)
    complete_lessons(user=ann, lessons=published_lessons(course=ward["dx"]), days_ago=1)
    for n in range(4):
        objective = make_objective(lesson=published_lessons(course=ward["dx"])[0], key=f"o{n}")
        block = make_block(course=ward["dx"])
        block.objectives.set([objective])
        answer_block(user=ann, block=block, right=n % 2 == 0, confidence="sure")
    with django_assert_num_queries(MEMBER_QUERIES):
        response = client.get(address)
    assert len(response.context["detail"].courses[0].attempts) == 2


def test_managers_nudge_from_the_page_and_instructors_only_read(client, ward):
    nudge = reverse("notifications:nudge", kwargs={"team": "ward-7", "membership": ward["membership"].pk})
    body = page(client, ward["boss"], url(membership=ward["membership"].pk)).content.decode()
    (form,) = elements(body, "form", action=nudge, method="post")
    markup = body.split(f'action="{nudge}"')[1].split("</form>")[0]
    assert elements(markup, "input", type="hidden", name="csrfmiddlewaretoken")
    assert elements(markup, "button", type="submit")[0].text == "Nudge Ann Okafor"
    instructor = make_person(username="instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    response = page(client, instructor, url(membership=ward["membership"].pk))
    assert response.status_code == 200 and not elements(response.content.decode(), "form", action=nudge)


def test_only_the_teams_viewers_see_a_member(client, ward):
    address = url(membership=ward["membership"].pk)
    client.logout()
    anonymous = client.get(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert page(client, ward["other"], address).status_code == 404  # manages another team
    assert page(client, ward["ann"], address).status_code == 404  # the member herself
    assert page(client, make_person(username="stranger"), address).status_code == 404


def test_a_membership_must_be_a_member_of_that_team(client, ward):
    boss, other = ward["boss"], ward["other"]
    # Through another team's address, even one its manager may see: not found.
    assert page(client, other, url(team="ward-8", membership=ward["membership"].pk)).status_code == 404
    manager_row = Membership.objects.get(team=ward["team"], user=boss)
    assert page(client, boss, url(membership=manager_row.pk)).status_code == 404
    assert page(client, boss, url(membership=999999)).status_code == 404


def test_the_dashboard_links_each_member_to_their_page(client, ward):
    body = page(client, ward["boss"], reverse("progress:team", kwargs={"team": "ward-7"})).content.decode()
    section = body.split('id="attention-heading"')[1].split("</section>")[0]
    (link,) = elements(section, "a", href=url(membership=ward["membership"].pk))
    assert link.text == "See details of Ann Okafor"
