"""Mastery on the pages: /progress/, the course overview's section, the team dashboard and its
CSV (the same figures), lesson pages' objectives, and constant query counts at any size."""

import csv
import datetime
import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from benchmarks.budgets import queries as budget
from courses.mastery import Level
from lessons.models import Objective
from practice.models import Block, BlockAnswer
from review.selectors import summary as review_summary
from tests.factories import (
    answer_block,
    make_block,
    make_course,
    make_lesson,
    make_objective,
    make_person,
    make_quiz,
    make_team,
    submit_attempt,
)
from tests.factories import enrol as enrol_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = make_course(slug="docs-ai", title="Docs AI")
    first = make_lesson(
        course=course, slug="format", title="Format first", order=1, status="published"
    )
    second = make_lesson(course=course, slug="codes", title="Codes", order=2, status="published")
    make_objective(
        lesson=first,
        key="tell-format",
        text="Tell a format problem from a knowledge problem",
        order=1,
    )
    make_objective(lesson=second, key="read-codes", text="Read an ICD code", order=1)
    return course


def objective(key):
    return Objective.objects.get(key=key)


def tagged_block(course, *keys):
    block = make_block(course=course)
    block.objectives.set([objective(key) for key in keys])
    return block


def test_my_progress_shows_levels_and_what_to_practise_first(client, course):
    ann = make_person(username="ann")
    enrol_in(user=ann, course=course)
    answer_block(
        user=ann, block=tagged_block(course, "tell-format"), right=False, confidence="sure"
    )
    answer_block(user=ann, block=tagged_block(course, "read-codes"), right=True)
    answer_block(user=ann, block=tagged_block(course, "read-codes"), right=True)
    client.force_login(ann)
    page = client.get(reverse("progress:mine")).content.decode()
    assert "What you know, what to practise" in page
    section = page.split('id="mastery-heading"')[1].split("</section>")[0]
    assert "Tell a format problem from a knowledge problem" in section
    assert "Practise first" in section
    first = section.split("practise-first")[2].split("</ul>")[0]
    assert 'href="/courses/docs-ai/format/"' in first and "Attempted" in first
    assert "Read an ICD code" not in first  # proficient: nothing to practise
    assert "Proficient" in section
    assert "0 of 2 objectives mastered" in section


def test_my_progress_without_objectives_says_so(client):
    client.force_login(make_person(username="new"))
    assert (
        "Once you start a course whose lessons list learning objectives"
        in client.get(reverse("progress:mine")).content.decode()
    )


def test_the_course_overview_has_a_mastery_section_for_learners_only(client, course):
    ann = make_person(username="ann")
    answer_block(user=ann, block=tagged_block(course, "tell-format"), right=True)
    url = course.get_absolute_url()
    assert "What you know, what to practise" not in client.get(url).content.decode()
    client.force_login(ann)
    page = client.get(url).content.decode()
    assert "What you know, what to practise" in page
    assert "Familiar" in page and "Not started" in page


def test_the_mastery_section_does_not_change_completion(client, course):
    from lessons import assessments

    ann = make_person(username="ann")
    tallies = assessments.tallies(user=ann, course_ids=[course.pk])
    assert tallies[course.pk] == assessments.Tally(0, 0)


def test_a_lesson_page_lists_its_objectives(client, course):
    page = client.get(
        reverse("lessons:detail", kwargs={"course": "docs-ai", "lesson": "format"})
    ).content.decode()
    assert "You will learn to" in page
    assert "Tell a format problem from a knowledge problem" in page
    assert "Read an ICD code" not in page


def test_a_lesson_without_objectives_shows_no_list(client):
    course = make_course(slug="plain")
    make_lesson(course=course, slug="only", status="published")
    assert (
        "You will learn to"
        not in client.get(
            reverse("lessons:detail", kwargs={"course": "plain", "lesson": "only"})
        ).content.decode()
    )


@pytest.fixture
def team_world(course):
    manager = make_person(username="manager")
    team = make_team(courses=[course], managers=[manager])
    ann, bob = make_person(username="ann"), make_person(username="bob")
    for user in (ann, bob):
        Membership.objects.create(team=team, user=user)
    blocks = [tagged_block(course, "tell-format"), tagged_block(course, "tell-format")]
    for block in blocks:
        answer_block(user=ann, block=block, right=True)
    answer_block(user=bob, block=blocks[0], right=False)
    return team, manager


def test_the_team_dashboard_names_who_is_below_proficient(client, team_world):
    team, manager = team_world
    client.force_login(manager)
    page = client.get(reverse("progress:team", kwargs={"team": team.slug})).content.decode()
    section = page.split('id="mastery-heading"')[1].split("</section>")[0]
    assert "Objectives the team has not mastered" in page
    row = section.split("Tell a format problem from a knowledge problem")[1].split("</tr>")[0]
    assert "bob" in row and "ann" not in row
    codes = section.split("Read an ICD code")[1].split("</tr>")[0]
    assert "ann, bob" in codes


def test_the_csv_has_the_same_levels_in_a_second_section(client, team_world):
    team, manager = team_world
    client.force_login(manager)
    body = client.get(reverse("progress:export", kwargs={"team": team.slug})).content.decode()
    first, second = body.split("\r\n\r\n")
    assert first.splitlines()[0].startswith(
        "username,display_name,full_name,course,lessons_completed"
    )
    rows = list(csv.DictReader(io.StringIO(second)))
    assert list(rows[0]) == [
        "username",
        "display_name",
        "full_name",
        "course",
        "objective",
        "objective_text",
        "level",
        "answers",
        "below_proficient",
    ]
    levels = {
        (r["username"], r["objective"]): (r["level"], r["answers"], r["below_proficient"])
        for r in rows
    }
    assert levels == {
        ("ann", "tell-format"): ("proficient", "2", "false"),
        ("ann", "read-codes"): ("not_started", "0", "true"),
        ("bob", "tell-format"): ("attempted", "1", "true"),
        ("bob", "read-codes"): ("not_started", "0", "true"),
    }


def test_the_kept_csv_shows_an_objective_edited_in_the_next_download(
    client, team_world, django_assert_num_queries
):
    """The CSV is kept whole (progress/kept_exports.py); its key sees the content and the
    assignments, so an edit in the admin shows at once, not when the kept copy expires."""
    from accounts.models import Assignment

    team, manager = team_world
    client.force_login(manager)
    url = reverse("progress:export", kwargs={"team": team.slug})
    before = client.get(url).content.decode()
    with django_assert_num_queries(budget("team_csv_body_kept")):
        assert client.get(url).content.decode() == before  # kept
    objective = Objective.objects.get(key="read-codes")
    objective.text = "Read the billing codes, renamed"
    objective.save()
    after = client.get(url).content.decode()
    assert "Read the billing codes, renamed" in after and after != before
    # A due date set is in the key too (the dashboard's parts see it the same way).
    Assignment.objects.filter(team=team).update(due_on=datetime.date(2031, 1, 2))
    with django_assert_num_queries(budget("team_csv_kept")):
        client.get(url)


def test_the_csv_without_objectives_is_as_before(client):
    course = make_course(slug="bare")
    make_lesson(course=course, status="published")
    manager = make_person(username="manager")
    team = make_team(courses=[course], managers=[manager])
    Membership.objects.create(team=team, user=make_person(username="ann"))
    client.force_login(manager)
    body = client.get(reverse("progress:export", kwargs={"team": team.slug})).content.decode()
    assert len(body.strip().splitlines()) == 2


# -- query counts: the same with 3 objectives and 10 answers as with 60 and 2,000 -------------


def build(course, *, objectives: int, answers: int, users):
    """``objectives`` objectives over three lessons, and ``answers`` first answers to blocks,
    each tagged with one objective, spread over ``users``; plus a quiz with a tagged question."""
    lessons = [
        make_lesson(course=course, slug=f"l{n}", order=10 + n, status="published") for n in range(3)
    ]
    made = Objective.objects.bulk_create(
        [
            Objective(
                lesson=lessons[n % 3], course=course, key=f"o-{n}", text=f"Objective {n}", order=n
            )
            for n in range(objectives)
        ]
    )
    per_user = -(-answers // len(users))
    blocks = Block.objects.bulk_create(
        [Block(course=course, slug=f"b-{n}", title=f"B{n}", prompt="?") for n in range(per_user)]
    )
    Block.objectives.through.objects.bulk_create(
        [
            Block.objectives.through(block_id=b.pk, objective_id=made[n % len(made)].pk)
            for n, b in enumerate(blocks)
        ]
    )
    rows, left = [], answers
    for user in users:
        for n, block in enumerate(blocks):
            if left == 0:
                break
            rows.append(BlockAnswer(user=user, block=block, is_correct=n % 3 != 0, confidence=["", "sure", "guessing"][n % 3],
                                    is_first=True, token=uuid.uuid4()))  # fmt: skip
            left -= 1
    BlockAnswer.objects.bulk_create(rows)
    quiz = make_quiz(course=course, slug=f"quiz-{objectives}", questions=2)
    quiz.questions.first().objectives.set(made[:2])
    for user in users[:3]:
        submit_attempt(
            user=user, quiz=quiz, picks=["right", "wrong A"], confidences=["sure", "sure"]
        )
    return made


SIZES = [(3, 10, 2), (60, 2000, 40)]


@pytest.mark.parametrize(("objectives", "answers", "members"), SIZES)
def test_my_progress_costs_the_same_at_any_size(
    client, course, objectives, answers, members, django_assert_num_queries, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    ann = make_person(username="ann")
    enrol_in(user=ann, course=course)
    build(course, objectives=objectives, answers=answers, users=[ann])
    client.force_login(ann)
    # The header's review summary, cached per learner for minutes: warm, as after any page.
    review_summary(user=ann, now=timezone.now())
    with django_assert_num_queries(budget("learner_dashboard")):
        page = client.get(reverse("progress:mine")).content.decode()
    assert f"Objective {objectives - 1}" in page


@pytest.mark.parametrize(("objectives", "answers", "members"), SIZES)
def test_the_overview_costs_the_same_at_any_size(
    client, course, objectives, answers, members, django_assert_num_queries, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    ann = make_person(username="ann")
    build(course, objectives=objectives, answers=answers, users=[ann])
    client.force_login(ann)
    client.get(course.get_absolute_url())  # warm the app's caches, as the budgets do
    with django_assert_num_queries(budget("overview")):
        page = client.get(course.get_absolute_url()).content.decode()
    assert f"Objective {objectives - 1}" in page


@pytest.mark.parametrize(("objectives", "answers", "members"), SIZES)
def test_the_team_dashboard_and_csv_cost_the_same_at_any_size(
    client, course, objectives, answers, members, django_assert_num_queries
):
    manager = make_person(username="manager")
    team = make_team(courses=[course], managers=[manager])
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"m-{n:03d}", password="!") for n in range(members)]
    )
    Membership.objects.bulk_create([Membership(team=team, user=user) for user in users])
    build(course, objectives=objectives, answers=answers, users=users)
    client.force_login(manager)
    review_summary(user=manager, now=timezone.now())  # the header's count, warm as after any page
    with django_assert_num_queries(budget("team_dashboard")):
        page = client.get(reverse("progress:team", kwargs={"team": team.slug})).content.decode()
    assert "Objectives the team has not mastered" in page
    # The dashboard kept the team's mastery: the CSV asks who answered since, and reads them.
    with django_assert_num_queries(budget("team_csv_kept")):
        body = client.get(reverse("progress:export", kwargs={"team": team.slug})).content.decode()
    assert body.count("\r\n") == 1 + members + 2 + members * (objectives + 2)


def test_levels_agree_between_the_learner_and_the_team(client, team_world):
    from progress.selectors.mastery import learner_mastery, team_mastery

    team, _ = team_world
    ann = get_user_model().objects.get(username="ann")
    course_ids = [c.pk for c in team.courses.all()]
    mine = {
        item.objective.key: item.level
        for m in learner_mastery(user=ann, course_ids=course_ids).values()
        for item in m.objectives
    }
    theirs = team_mastery(user_ids=[ann.pk], course_ids=course_ids)
    assert mine == {
        item.objective.key: theirs.levels[(ann.pk, item.objective.pk)].level
        for item in theirs.objectives
    }
    assert mine["tell-format"] is Level.PROFICIENT
