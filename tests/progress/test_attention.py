"""The attention rules (progress/attention.py), called directly with a fixed clock."""

import datetime

from progress.attention import (
    DUE_SOON_DAYS,
    INACTIVE_AFTER_DAYS,
    NOT_STARTED_AFTER_DAYS,
    CourseFacts,
    Reason,
    is_overdue,
    member_concerns,
    reached_at,
)

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def facts(**overrides):
    values = {
        "course_id": 1,
        "reached_at": NOW - 30 * DAY,
        "started": True,
        "complete": False,
        "last_activity": NOW - DAY,
    }
    values.update(overrides)
    return CourseFacts(**values)


def reasons(concerns):
    return [concern.reason for concern in concerns]


def test_an_active_member_on_track_raises_nothing():
    assert member_concerns([facts()], now=NOW) == []


def test_not_started_counts_from_when_the_course_reached_them():
    just_under = facts(started=False, last_activity=None, reached_at=NOW - NOT_STARTED_AFTER_DAYS * DAY + datetime.timedelta(minutes=1))
    assert member_concerns([just_under], now=NOW) == []
    on_the_day = facts(started=False, last_activity=None, reached_at=NOW - NOT_STARTED_AFTER_DAYS * DAY)
    [concern] = member_concerns([on_the_day], now=NOW)
    assert concern.reason is Reason.NOT_STARTED and concern.days == NOT_STARTED_AFTER_DAYS


def test_reached_at_is_the_later_of_assignment_and_joining():
    assert reached_at(assigned_at=NOW - 40 * DAY, joined_at=NOW - DAY) == NOW - DAY
    assert reached_at(assigned_at=NOW - DAY, joined_at=NOW - 40 * DAY) == NOW - DAY


def test_inactive_is_measured_over_every_assigned_course():
    idle = facts(course_id=1, last_activity=NOW - INACTIVE_AFTER_DAYS * DAY)
    busy_elsewhere = facts(course_id=2, last_activity=NOW - DAY)
    assert reasons(member_concerns([idle], now=NOW)) == [Reason.INACTIVE]
    assert member_concerns([idle, busy_elsewhere], now=NOW) == []
    [concern] = member_concerns([idle], now=NOW)
    assert concern.days == INACTIVE_AFTER_DAYS


def test_due_dates_overdue_after_the_whole_due_day_and_due_soon_before():
    today = NOW.date()
    assert member_concerns([facts(due_on=today)], now=NOW)[0].reason is Reason.DUE_SOON
    assert member_concerns([facts(due_on=today + DUE_SOON_DAYS * DAY)], now=NOW)[0].days == DUE_SOON_DAYS
    assert member_concerns([facts(due_on=today + (DUE_SOON_DAYS + 1) * DAY)], now=NOW) == []
    [overdue] = member_concerns([facts(due_on=today - 3 * DAY)], now=NOW)
    assert (overdue.reason, overdue.days, overdue.due_on) == (Reason.OVERDUE, 3, today - 3 * DAY)
    assert is_overdue(today - DAY, complete=False, now=NOW)
    assert not is_overdue(today, complete=False, now=NOW)
    assert not is_overdue(today - DAY, complete=True, now=NOW)
    assert not is_overdue(None, complete=False, now=NOW)


def test_a_complete_course_raises_nothing_whatever_its_dates():
    done = facts(complete=True, due_on=NOW.date() - 10 * DAY, last_activity=NOW - 60 * DAY)
    assert member_concerns([done], now=NOW) == []


def test_failing_quizzes_and_confident_mistakes_most_pressing_first():
    concerns = member_concerns(
        [facts(failed_quiz_ids=(7,), due_on=NOW.date() - DAY)],
        now=NOW,
        confidently_wrong=[(42, 1)],
    )
    assert reasons(concerns) == [Reason.OVERDUE, Reason.FAILING_QUIZ, Reason.CONFIDENTLY_WRONG]
    assert concerns[1].subject_id == 7 and concerns[2].subject_id == 42
    assert [reason.label for reason in reasons(concerns)] == ["Overdue", "Failing a quiz", "Sure but wrong"]
