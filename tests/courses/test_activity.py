"""courses/activity.py: expiry, date rules, estimated time and pass marks, as pure functions."""

from datetime import date

import pytest

from courses import activity
from courses.activity import PassingScore, PassMark


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 24), date(2029, 11, 24)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # a leap day: never past three years
        (date(2025, 2, 28), date(2028, 2, 28)),
        (date(2025, 3, 1), date(2028, 3, 1)),
        (date(2026, 12, 31), date(2029, 12, 31)),
    ],
)
def test_expiry_is_three_years_after_the_day(day, expected):
    assert activity.add_years(day, activity.REVIEW_YEARS) == expected


def test_a_leap_day_lands_on_a_leap_day_when_there_is_one():
    assert activity.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_expiry_counts_from_the_last_review():
    assert activity.expires_on(
        released_on=date(2024, 1, 10), last_reviewed_on=date(2026, 5, 4)
    ) == date(2029, 5, 4)


def test_expiry_counts_from_the_release_when_never_reviewed():
    assert activity.expires_on(released_on=date(2024, 2, 29), last_reviewed_on=None) == date(
        2027, 2, 28
    )


def test_no_dates_no_expiry():
    assert activity.expires_on(released_on=None, last_reviewed_on=None) is None


def test_review_is_overdue_from_the_day_after_expiry():
    expiry = date(2027, 2, 28)
    assert not activity.is_review_overdue(expiry, today=date(2027, 2, 27))
    assert not activity.is_review_overdue(expiry, today=expiry)  # valid through the day
    assert activity.is_review_overdue(expiry, today=date(2027, 3, 1))
    assert not activity.is_review_overdue(None, today=date(2099, 1, 1))


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("released", "reviewed", "problems"),
    [
        (date(2026, 11, 24), date(2026, 11, 30), {}),
        (date(2026, 11, 24), date(2026, 11, 24), {}),  # reviewed on the release day
        (date(2026, 11, 24), None, {}),
        (None, None, {}),
        (date(2026, 11, 24), date(2026, 11, 23), {"last_reviewed_on": "before the release"}),
        (date(2026, 11, 24), date(2026, 12, 1), {"last_reviewed_on": "in the future"}),
        (date(2026, 12, 1), None, {"released_on": "in the future"}),
        (None, date(2026, 12, 1), {"last_reviewed_on": "in the future"}),
    ],
)
def test_date_problems(released, reviewed, problems):
    found = activity.date_problems(released_on=released, last_reviewed_on=reviewed, today=TODAY)
    assert set(found) == set(problems)
    for name, words in problems.items():
        assert words in found[name]


@pytest.mark.parametrize(("asked", "minutes"), [(0, 0), (1, 2), (10, 15), (11, 17)])
def test_quiz_minutes_are_a_minute_and_a_half_per_question_rounded_up(asked, minutes):
    assert activity.quiz_minutes(asked) == minutes


def test_questions_asked_is_the_draw_or_every_question():
    assert activity.questions_asked(question_count=22, draw_count=11) == 11
    assert activity.questions_asked(question_count=22, draw_count=None) == 22
    assert activity.questions_asked(question_count=5, draw_count=11) == 5  # a short pool


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (125, "2 hours 5 minutes"),
    ],
)
def test_duration_in_words(minutes, words):
    assert activity.duration(minutes) == words


def test_passing_score_states_every_mark_and_the_strictest():
    none = PassingScore()
    assert none.strictest is None and none.uniform
    same = PassingScore((PassMark("A", 70), PassMark("B", 70)))
    assert same.strictest == 70 and same.uniform
    mixed = PassingScore((PassMark("A", 70), PassMark("B", 85)))
    assert mixed.strictest == 85 and not mixed.uniform


def test_activity_info_puts_the_parts_together():
    info = activity.activity_info(
        objectives=["Tell format from knowledge", "Check a note"],
        released_on=date(2024, 2, 29),
        last_reviewed_on=None,
        lesson_minutes=[6, 10, 7],
        quizzes=[("Check", 70, 11)],
        disclosure_html="<p>None.</p>",
        today=date(2027, 3, 1),
    )
    assert info.objectives == ("Tell format from knowledge", "Check a note")
    assert info.expires_on == date(2027, 2, 28) and info.review_overdue
    assert (info.lesson_minutes, info.quiz_minutes, info.minutes) == (23, 17, 40)
    assert info.duration == "40 minutes"
    assert info.passing == PassingScore((PassMark("Check", 70),))
