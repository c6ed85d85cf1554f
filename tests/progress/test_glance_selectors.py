"""The first screen's figures from real rows: this week (progress/selectors/week.py) and what the
team misunderstands, as team_dashboard works them out, with exact numbers."""

import pytest
from django.utils import timezone

from accounts.models import Membership
from lessons.models import LessonCompletion
from progress.selectors import team_dashboard
from progress.selectors.week import week_facts
from quizzes.models import Attempt
from tests.factories import (
    answer_block,
    at,
    complete_lessons,
    enrol,
    make_block,
    make_course,
    make_matrix,
    make_objective,
    make_person,
    make_quiz,
    make_team,
    predict,
    published_lessons,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fortnight():
    """Two courses; five members whose activity falls this week, the week before, or earlier."""
    docs = make_course(slug="docs", lessons=2, order=1)
    dx = make_course(slug="dx", lessons=1, order=2)
    quiz = make_quiz(course=docs, slug="docs-check", questions=1)
    ann, bob, cai, dee, eve = (make_person(username=n) for n in ("ann", "bob", "cai", "dee", "eve"))
    outsider = make_person(username="outsider")
    team = make_team(courses=[docs, dx], members=[ann, bob, cai, dee, eve], managers=[make_person(username="boss")])
    joined = {ann: 40, bob: 40, cai: 10, dee: 3, eve: 40}
    for user, days in joined.items():
        Membership.objects.filter(team=team, user=user).update(joined_at=at(days_ago=days))
    docs_lessons = published_lessons(course=docs)
    # ann: started long ago; finished docs this week (second lesson 2 days ago, passed 1 day ago).
    enrol(user=ann, course=docs, days_ago=30)
    complete_lessons(user=ann, lessons=[docs_lessons[0]], days_ago=30)
    complete_lessons(user=ann, lessons=[docs_lessons[1]], days_ago=2)
    submit_attempt(user=ann, quiz=quiz, picks=["wrong A"], days_ago=20)
    submit_attempt(user=ann, quiz=quiz, picks=["right"], days_ago=1)
    # bob: started the week before, two lessons then, and the dx lesson this week.
    enrol(user=bob, course=docs, days_ago=12)
    complete_lessons(user=bob, lessons=docs_lessons, days_ago=11)
    complete_lessons(user=bob, lessons=published_lessons(course=dx), days_ago=3)
    # cai: joined the week before, started this week (an enrolment), nothing done yet.
    enrol(user=cai, course=dx, days_ago=4)
    # dee: joined this week, passed the quiz at once (her first activity: this week).
    submit_attempt(user=dee, quiz=quiz, picks=["right"], days_ago=2)
    # eve: nothing at all. An outsider's activity never counts.
    complete_lessons(user=outsider, lessons=docs_lessons, days_ago=1)
    return {"team": team, "docs": docs, "dx": dx, "quiz": quiz, "users": (ann, bob, cai, dee, eve)}


def test_week_facts_read_the_members_activity_in_one_query(fortnight, django_assert_num_queries):
    team, docs, dx, quiz = fortnight["team"], fortnight["docs"], fortnight["dx"], fortnight["quiz"]
    ann, bob, cai, dee, _ = fortnight["users"]
    with django_assert_num_queries(1):
        facts = week_facts(team=team, course_ids=[docs.pk, dx.pk], now=timezone.now())
    assert {key: value[:2] for key, value in facts.lessons.items()} == {
        (ann.pk, docs.pk): (1, 0), (bob.pk, docs.pk): (0, 2), (bob.pk, dx.pk): (1, 0),
    }  # fmt: skip
    first_pass = Attempt.objects.get(user=ann, passed=True).submitted_at
    assert facts.lessons[(ann.pk, docs.pk)][2] == LessonCompletion.objects.filter(user=ann).latest("completed_at").completed_at
    assert facts.first_passes == {(ann.pk, quiz.pk): first_pass, (dee.pk, quiz.pk): Attempt.objects.get(user=dee).submitted_at}
    assert set(facts.first_activity) == {ann.pk, bob.pk, cai.pk, dee.pk}
    assert facts.first_activity[cai.pk] == cai.enrollments.get().enrolled_at


def test_the_dashboard_says_what_changed_this_week(fortnight):
    ann, bob = fortnight["users"][:2]
    week = team_dashboard(team=fortnight["team"]).week
    assert {c.key: (c.this_week, c.last_week) for c in week.changes} == {
        "lessons": (2, 2),  # ann's second docs lesson and bob's dx lesson; bob's two docs lessons
        "passes": (2, 0),  # ann (after failing 20 days ago) and dee
        "started": (2, 1),  # cai and dee; bob the week before (ann long ago, eve never)
        "joined": (1, 1),  # dee; cai
        # bob's dx (one lesson, no quiz: complete 3 days ago) and ann's docs (passed 1 day
        # ago); bob's docs lacks the quiz, dee's its lessons.
        "finished": (2, 0),
    }
    assert week.finished == ((bob.pk, fortnight["dx"].pk), (ann.pk, fortnight["docs"].pk))


def test_the_week_follows_the_course_filter(fortnight):
    week = team_dashboard(team=fortnight["team"], course_slug="dx").week
    assert {c.key: (c.this_week, c.last_week) for c in week.changes} == {
        "lessons": (1, 0), "passes": (0, 0), "started": (2, 0), "joined": (1, 1), "finished": (1, 0),
    }  # fmt: skip


# --- what the team misunderstands -----------------------------------------------------------


def test_the_dashboard_names_what_the_team_is_sure_but_wrong_about():
    course = make_course(slug="docs", lessons=1, order=1)
    lesson = published_lessons(course=course)[0]
    gaps = make_objective(lesson=lesson, key="gaps", text="Tell a format gap from a knowledge gap")
    drift = make_objective(lesson=lesson, key="drift", text="Spot distribution shift")
    known = make_objective(lesson=lesson, key="known", text="Name the three tracks")
    blocks = {objective.key: make_block(course=course) for objective in (gaps, drift, known)}
    for objective in (gaps, drift, known):
        blocks[objective.key].objectives.set([objective])
    people = [make_person(username=f"m{n}") for n in range(6)]
    team = make_team(courses=[course], members=people)
    # gaps: 4 answered, 3 of them wrong while sure; drift: 3 answered, none sure and wrong, 2
    # wrong (below proficient: one wrong answer is "attempted"); known: 2 answered right on two
    # items would be proficient, one right answer is only familiar.
    for n, person in enumerate(people[:4]):
        answer_block(user=person, block=blocks["gaps"], right=n == 3, confidence="sure")
    for n, person in enumerate(people[:3]):
        answer_block(user=person, block=blocks["drift"], right=n == 0, confidence="think_so")
    cells = make_matrix()  # the strong column (cells 1 and 3) is the one predicted
    for n, person in enumerate(people):
        predict(user=person, cell=cells[1], right=n < 2, confidence="sure" if n == 5 else "")
    predict(user=people[0], cell=cells[3], right=False)
    predict(user=people[1], cell=cells[3], right=True)

    dashboard = team_dashboard(team=team)
    assert [(t.text, t.answered, t.sure_wrong, t.below) for t in dashboard.misunderstood] == [
        ("Tell a format gap from a knowledge gap", 4, 3, 4),
        ("Spot distribution shift", 3, 0, 3),
    ]
    assert [(c.condition, c.column, c.predicted, c.wrong, c.sure_wrong) for c in dashboard.mispredicted] == [
        ("Domain coverage", "Strong base", 6, 4, 1),
        ("Output format", "Strong base", 2, 1, 0),
    ]
