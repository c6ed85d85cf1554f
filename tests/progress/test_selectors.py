"""progress/selectors.py: the one definition of progress, at its edges."""

import datetime

import pytest
from django.utils import timezone

from courses.models import Course
from progress.attention import INACTIVE_AFTER_DAYS, Reason
from progress.selectors import (
    course_progress,
    learner_courses,
    learner_dashboard,
    team_dashboard,
    team_progress,
    weekly_completions,
    with_totals,
)
from quizzes.models import Attempt
from tests.factories import (
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
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return make_person(username="ann")


def progress_of(user, course):
    (course,) = with_totals(Course.objects.filter(pk=course.pk))
    return course_progress(user_ids=[user.pk], courses=[course])[(user.pk, course.pk)]


def test_a_course_with_no_lessons_and_no_quizzes_is_zero_and_never_complete(ann):
    course = make_course(lessons=0, slug="clinical-documentation-ai", order=1)
    enrol(user=ann, course=course)
    progress = progress_of(ann, course)
    assert (progress.lessons_completed, progress.lessons_total, progress.percent) == (0, 0, 0)
    assert progress.quizzes_total == 0 and progress.quiz_best_percent is None
    assert progress.started and not progress.complete


def test_a_course_with_only_a_quiz_is_complete_once_the_quiz_is_passed(ann):
    course = make_course(lessons=0, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="only", questions=2, pass_percent=50)
    submit_attempt(user=ann, quiz=quiz, picks=["right", "wrong A"])
    progress = progress_of(ann, course)
    assert progress.percent == 0 and progress.quizzes_passed == 1 and progress.complete


def test_nothing_done_is_not_started(ann):
    course = make_course(lessons=3, slug="clinical-documentation-ai", order=1)
    progress = progress_of(ann, course)
    assert (progress.lessons_completed, progress.percent, progress.started) == (0, 0, False)
    assert progress.last_activity is None


def test_all_lessons_done_and_every_quiz_passed_is_complete(ann):
    course = make_course(lessons=3, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="q", questions=2)
    complete_lessons(user=ann, lessons=published_lessons(course=course))
    submit_attempt(user=ann, quiz=quiz, picks=["right", "right"])
    progress = progress_of(ann, course)
    assert (progress.lessons_completed, progress.lessons_total, progress.percent) == (3, 3, 100)
    assert (progress.quizzes_passed, progress.quizzes_total, progress.quiz_best_percent) == (1, 1, 100)
    assert progress.complete


def test_all_lessons_done_but_a_quiz_not_passed_is_not_complete(ann):
    course = make_course(lessons=2, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="q", questions=2, pass_percent=100)
    complete_lessons(user=ann, lessons=published_lessons(course=course))
    submit_attempt(user=ann, quiz=quiz, picks=["right", "wrong A"])
    progress = progress_of(ann, course)
    assert progress.percent == 100 and progress.quizzes_passed == 0
    assert not progress.complete


def test_unpublished_lessons_and_quizzes_are_ignored(ann):
    course = make_course(lessons=2, drafts=2, slug="clinical-documentation-ai", order=1)
    draft_quiz = make_quiz(course=course, slug="draft", questions=1, published=False)
    lessons = list(course.lessons.order_by("order"))
    for lesson in lessons:  # both published and both drafts
        complete_lessons(user=ann, lessons=[lesson])
    submit_attempt(user=ann, quiz=draft_quiz, picks=["wrong A"])
    progress = progress_of(ann, course)
    assert (progress.lessons_completed, progress.lessons_total, progress.percent) == (2, 2, 100)
    assert progress.quizzes_total == 0 and progress.quiz_results == {}
    assert progress.complete


def test_percent_rounds_down_so_100_means_everything(ann):
    course = make_course(lessons=3, slug="clinical-documentation-ai", order=1)
    lessons = published_lessons(course=course)
    complete_lessons(user=ann, lessons=[lessons[0]])
    complete_lessons(user=ann, lessons=[lessons[1]])
    assert progress_of(ann, course).percent == 66


def test_quiz_best_percent_is_the_mean_of_best_submitted_results_per_quiz(ann):
    course = make_course(lessons=1, slug="clinical-documentation-ai", order=1)
    first = make_quiz(course=course, slug="first", questions=4, pass_percent=75)
    second = make_quiz(course=course, slug="second", questions=2)
    make_quiz(course=course, slug="never-taken", questions=2)
    submit_attempt(user=ann, quiz=first, picks=["right", "wrong A", "wrong A", "wrong A"], days_ago=3)  # 25
    submit_attempt(user=ann, quiz=first, picks=["right", "right", "right", "wrong A"], days_ago=2)  # 75, passed
    submit_attempt(user=ann, quiz=first, picks=["right", "right", "wrong A", "wrong A"], days_ago=1)  # 50
    submit_attempt(user=ann, quiz=second, picks=["right", "wrong B"])  # 50
    Attempt.objects.create(user=ann, quiz=second, score=2, total=2, percent=100, passed=True)  # not submitted
    progress = progress_of(ann, course)
    assert progress.quiz_results[first.pk].best_percent == 75
    assert progress.quiz_results[second.pk].best_percent == 50
    assert progress.quiz_best_percent == round((75 + 50) / 2)
    assert (progress.quizzes_passed, progress.quizzes_total) == (1, 3)


def test_last_activity_is_the_latest_of_enrolling_completing_and_submitting(ann):
    course = make_course(lessons=2, slug="clinical-documentation-ai", order=1)
    quiz = make_quiz(course=course, slug="q", questions=1)
    enrol(user=ann, course=course, days_ago=30)
    [completion] = complete_lessons(user=ann, lessons=[published_lessons(course=course)[0]], days_ago=20)
    assert progress_of(ann, course).last_activity == completion.completed_at
    attempt = submit_attempt(user=ann, quiz=quiz, picks=["right"], days_ago=5)
    assert progress_of(ann, course).last_activity == attempt.submitted_at


def test_progress_is_per_user_and_per_course(ann):
    bob = make_person(username="bob")
    one, two = make_course(slug="one", lessons=2, order=1), make_course(slug="two", order=2, lessons=4)
    complete_lessons(user=ann, lessons=[published_lessons(course=one)[0]])
    complete_lessons(user=bob, lessons=[published_lessons(course=two)[0]])
    complete_lessons(user=bob, lessons=[published_lessons(course=two)[1]])
    courses = list(with_totals(Course.objects.order_by("order")))
    table = course_progress(user_ids=[ann.pk, bob.pk], courses=courses)
    assert {key: p.percent for key, p in table.items()} == {
        (ann.pk, one.pk): 50, (ann.pk, two.pk): 0, (bob.pk, one.pk): 0, (bob.pk, two.pk): 50,
    }


def test_learner_courses_are_started_or_assigned_with_the_next_unfinished_lesson(ann):
    started = make_course(slug="started", lessons=3, order=1)
    assigned = make_course(slug="assigned", order=2, lessons=2)
    make_course(slug="untouched", order=3, lessons=2)
    make_course(slug="hidden", order=4, lessons=2, published=False)
    lessons = published_lessons(course=started)
    complete_lessons(user=ann, lessons=[lessons[0]])
    complete_lessons(user=ann, lessons=[lessons[2]])  # out of order: lesson 2 is still the next one
    make_team(courses=[assigned], members=[ann])
    courses = {c.slug: c for c in learner_courses(ann)}
    assert set(courses) == {"started", "assigned"}
    assert courses["started"].is_started and courses["started"].next_lesson_slug == "lesson-2"
    assert not courses["assigned"].is_started and courses["assigned"].is_assigned
    assert courses["assigned"].next_lesson_slug == "lesson-1"


def test_next_lesson_is_none_when_every_published_lesson_is_done(ann):
    course = make_course(lessons=2, drafts=1, slug="clinical-documentation-ai", order=1)
    complete_lessons(user=ann, lessons=published_lessons(course=course))
    (only,) = learner_courses(ann)
    assert only.next_lesson_slug is None


def test_weekly_completions_count_by_monday_and_fill_empty_weeks(ann):
    course = make_course(lessons=4, slug="clinical-documentation-ai", order=1)
    lessons = published_lessons(course=course)
    now = timezone.now()
    complete_lessons(user=ann, lessons=[lessons[0]], days_ago=0)
    complete_lessons(user=ann, lessons=[lessons[1]], days_ago=0)
    complete_lessons(user=ann, lessons=[lessons[2]], days_ago=7)
    complete_lessons(user=ann, lessons=[lessons[3]], days_ago=200)  # too old for the chart
    weeks = weekly_completions(user=ann, now=now)
    assert len(weeks) == 12
    assert all(week.weekday() == 0 for week, _ in weeks)
    assert weeks[-1] == (now.date() - datetime.timedelta(days=now.weekday()), 2)
    assert weeks[-2][1] == 1
    assert sum(count for _, count in weeks) == 3


def test_learner_dashboard_matrix_accuracy_counts_first_predictions_only(ann):
    cells = make_matrix()
    predict(user=ann, cell=cells[0], right=False)
    predict(user=ann, cell=cells[0], right=True, first=False)  # a retry: not counted
    predict(user=ann, cell=cells[1], right=True)
    predict(user=ann, cell=cells[2], right=True)
    (accuracy,) = learner_dashboard(user=ann).matrices
    assert (accuracy.predicted, accuracy.right, accuracy.percent) == (3, 2, 67)


def _strong_verdicts(cells):
    """Domain coverage is "Marginal gain" (no difference) and output format "Prompting works"
    (the generalist) at the strong base; the weak base keeps "Fine-tune wins"."""
    domain, output = cells[1], cells[3]
    domain.verdict, domain.winner = "Marginal gain", "no_difference"
    output.verdict, output.winner = "Prompting works", "generalist"
    domain.save()
    output.save()
    return domain.column


def test_learner_dashboard_accuracy_per_condition_counts_every_try(ann):
    from matrix.services import record_predictions

    cells = make_matrix()
    strong = _strong_verdicts(cells)
    matrix = strong.matrix
    answers = [
        {"r0": "Fine-tune wins", "r1": "Fine-tune wins"},
        {"r0": "Marginal gain", "r1": "Marginal gain"},
        {"r0": "Marginal gain", "r1": "Prompting works"},
    ]
    for predictions in answers:
        record_predictions(user=ann, matrix=matrix, column=strong, predictions=predictions)
    (accuracy,) = learner_dashboard(user=ann).matrices
    assert (accuracy.predicted, accuracy.right) == (2, 0)  # the first try, for the team
    assert [str(item) for item in accuracy.conditions] == [
        "Domain coverage: 2 of 3 right",
        "Output format: 1 of 3 right",
    ]


def test_misconception_map_scores_first_predictions_by_verdict_and_counts_sure_but_wrong(ann):
    from matrix.models import MatrixCell
    from matrix.services import record_predictions
    from progress.selectors import misconception_maps

    cells = make_matrix()
    strong = _strong_verdicts(cells)
    bob, cai = make_person(username="bob"), make_person(username="cai")
    # "Fine-tune wins" would have been scored against the winner before; by verdict, it is wrong
    # for domain coverage ("Marginal gain"), whichever side that verdict favours.
    record_predictions(user=ann, matrix=strong.matrix, column=strong, confidence="sure",
                       predictions={"r0": "Fine-tune wins", "r1": "Prompting works"})  # fmt: skip
    record_predictions(user=bob, matrix=strong.matrix, column=strong, confidence="think_so",
                       predictions={"r0": "Fine-tune wins", "r1": "Fine-tune wins"})  # fmt: skip
    record_predictions(user=cai, matrix=strong.matrix, column=strong,
                       predictions={"r0": "Marginal gain", "r1": "Marginal gain"})  # fmt: skip
    # A retry, right and sure, does not change the map: first predictions only.
    record_predictions(user=ann, matrix=strong.matrix, column=strong, confidence="sure",
                       predictions={"r0": "Marginal gain", "r1": "Prompting works"})  # fmt: skip
    (matrix_map,) = misconception_maps(user_ids=[ann.pk, bob.pk, cai.pk])
    (domain,), (output,) = (cells for _, cells in matrix_map.grid())
    assert isinstance(domain.cell, MatrixCell)
    assert (domain.predicted, domain.right, domain.confidently_wrong) == (3, 1, 1)
    assert (output.predicted, output.right, output.confidently_wrong) == (3, 1, 0)


def test_team_progress_counts_members_not_managers_and_only_published_assigned_courses():
    ann, boss = make_person(username="ann"), make_person(username="boss")
    assigned, hidden = make_course(slug="a", lessons=2, order=1), make_course(slug="h", lessons=1, published=False, order=1)
    make_course(slug="not-assigned", lessons=1, order=1)
    team = make_team(courses=[assigned, hidden], managers=[boss], members=[ann])
    data = team_progress(team=team)
    assert [m.user.username for m in data.members] == ["ann"]
    assert [c.slug for c in data.courses] == ["a"]


def test_the_dashboard_flags_every_member_by_the_attention_rules_most_pressing_first():
    """The stuck list is gone: the same rules as the reminders (progress.attention) decide."""
    course = make_course(lessons=2, slug="clinical-documentation-ai", order=1)
    people = ("quiet", "busy", "done", "new", "idle")
    quiet, busy, finished, newcomer, idle = (make_person(username=n) for n in people)
    team = make_team(courses=[course], members=[quiet, busy, finished, newcomer, idle],
                     assigned_at=timezone.now() - datetime.timedelta(days=60))  # fmt: skip
    long_ago = timezone.now() - datetime.timedelta(days=40)
    team.memberships.exclude(user=newcomer).update(joined_at=long_ago)
    lessons = published_lessons(course=course)
    complete_lessons(user=quiet, lessons=[lessons[0]], days_ago=INACTIVE_AFTER_DAYS + 1)
    complete_lessons(user=busy, lessons=[lessons[0]], days_ago=INACTIVE_AFTER_DAYS - 1)
    complete_lessons(user=finished, lessons=lessons, days_ago=30)
    dashboard = team_dashboard(team=team)
    flagged = [(membership_name(dashboard, uid), [(c.reason, c.days) for c in found]) for uid, found in dashboard.attention]
    # Inactive ranks before not started (the order of Reason); the newcomer joined today.
    assert flagged == [("quiet", [(Reason.INACTIVE, INACTIVE_AFTER_DAYS + 1)]), ("idle", [(Reason.NOT_STARTED, 40)])]


def membership_name(dashboard, user_id):
    return next(m.user.username for m in dashboard.data.members if m.user_id == user_id)


def test_members_are_in_display_name_order_with_usernames_for_the_rest(django_assert_num_queries):
    from accounts.models import Profile

    course = make_course(lessons=1, slug="c", order=1)
    zed, amy, bob, carl = (make_person(username=n) for n in ("zed", "amy", "bob", "carl"))
    Profile.objects.create(user=zed, display_name="Aaron Zed")
    Profile.objects.create(user=amy, display_name="  ")  # blank: her username
    Profile.objects.create(user=carl, display_name="beatrice")  # lower case sorts with the rest
    team = make_team(courses=[course], members=[zed, amy, bob, carl])
    data = team_progress(team=team)
    from accounts.names import display_name

    with django_assert_num_queries(0):
        names = [display_name(m.user) for m in data.members]
    assert names == ["Aaron Zed", "amy", "beatrice", "bob"]
