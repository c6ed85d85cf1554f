"""The rules of the mail (notifications/rules.py) and its words (notifications/wording.py):
plain values in, plain values out."""

import datetime

import pytest

from notifications.models import Mail, Rule
from notifications.rules import (
    Item,
    day_period,
    reminder_items,
    retry_at,
    seconds_until_tomorrow,
    week_period,
)
from notifications.tokens import BadToken, make_token, read_token
from notifications.wording import (
    digest_subject,
    due_phrase,
    left_phrase,
    named,
    reminder_headline,
    reminder_line,
    reminder_subject,
)
from progress.attention import Concern, Reason

UTC = datetime.UTC
MONDAY = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def concern(reason, course, **extra):
    return Concern(reason, course, course, **extra)


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        (datetime.datetime(2025, 1, 6, 0, 0, tzinfo=UTC), "2025-W02"),  # Monday
        (datetime.datetime(2025, 1, 12, 23, 59, tzinfo=UTC), "2025-W02"),  # Sunday night
        (datetime.datetime(2025, 1, 13, 0, 0, tzinfo=UTC), "2025-W03"),
        (datetime.datetime(2024, 12, 30, 12, 0, tzinfo=UTC), "2025-W01"),  # ISO: 2025's first week
        (datetime.datetime(2026, 12, 31, 12, 0, tzinfo=UTC), "2026-W53"),
    ],
)
def test_the_reminder_period_is_the_iso_week(moment, week):
    assert week_period(moment) == week


def test_the_nudge_period_is_the_day():
    assert day_period(datetime.datetime(2025, 1, 6, 23, 59, tzinfo=UTC)) == "2025-01-06"


def test_reminder_items_keep_the_mailed_reasons_once_per_course_most_pressing_first():
    concerns = [
        concern(Reason.NOT_STARTED, 2, days=9),
        concern(Reason.FAILING_QUIZ, 1),  # the dashboard's, not a reminder
        concern(Reason.INACTIVE, 1, days=15),
        concern(Reason.OVERDUE, 1, due_on=datetime.date(2025, 1, 1), days=5),
        Concern(Reason.CONFIDENTLY_WRONG, 77, 1),
        concern(Reason.INACTIVE, 1, days=15),  # the same, from a second team
    ]
    items = reminder_items(concerns, reviews_due=3)
    assert [(i.rule, i.subject) for i in items] == [
        (Rule.OVERDUE, "course:1"), (Rule.INACTIVE, "course:1"), (Rule.NOT_STARTED, "course:2"),
        (Rule.REVIEWS_DUE, ""),
    ]  # fmt: skip
    assert items[-1].days == 3
    assert reminder_items([], reviews_due=0) == []


def test_a_failed_send_waits_longer_each_time_then_the_last_wait_repeats():
    waits = Mail.RETRY_MINUTES
    assert [retry_at(attempts=n, now=MONDAY, waits=waits) - MONDAY for n in (1, 2, 3, 4, 5, 9)] == [
        datetime.timedelta(minutes=m) for m in (*waits, waits[-1], waits[-1])
    ]


def test_retry_after_runs_to_midnight():
    assert seconds_until_tomorrow(datetime.datetime(2025, 1, 6, 23, 0, tzinfo=UTC)) == 3600
    assert seconds_until_tomorrow(datetime.datetime(2025, 1, 6, 0, 0, tzinfo=UTC)) == 86400


@pytest.mark.parametrize(
    ("due", "phrase"),
    [
        (datetime.date(2025, 1, 6), "today"),
        (datetime.date(2025, 1, 7), "tomorrow"),
        (datetime.date(2025, 1, 10), "on Friday"),
        (datetime.date(2025, 1, 12), "on Sunday"),
        (datetime.date(2025, 1, 13), "on 13 January"),
    ],
)
def test_a_due_date_reads_as_a_day(due, phrase):
    assert due_phrase(due, now=MONDAY) == phrase


def test_what_is_left_is_counted_in_words():
    assert left_phrase(lessons_left=3, quizzes_left=1) == "3 lessons and 1 quiz left"
    assert left_phrase(lessons_left=1, quizzes_left=0) == "1 lesson left"
    assert left_phrase(lessons_left=0, quizzes_left=2) == "2 quizzes left"


def test_each_reminder_reads_as_a_plain_sentence():
    left = "3 lessons and 1 quiz left"
    friday = Item(Rule.DUE_SOON, "course:1", 1, datetime.date(2025, 1, 10), 4)
    assert reminder_line(friday, title="Imaging AI", left=left, now=MONDAY) == (
        "Imaging AI is due on Friday: 3 lessons and 1 quiz left."
    )
    late = Item(Rule.OVERDUE, "course:1", 1, datetime.date(2025, 1, 3), 3)
    assert reminder_line(late, title="Imaging AI", left=left, now=MONDAY) == (
        "Imaging AI was due on 3 January, 3 days ago: 3 lessons and 1 quiz left."
    )
    idle = Item(Rule.INACTIVE, "course:1", 1, None, 1)
    assert reminder_line(idle, title="Imaging AI", left=left, now=MONDAY).startswith(
        "You have not worked on Imaging AI for 1 day:"
    )
    reviews = Item(Rule.REVIEWS_DUE, "", days=4)
    assert reminder_line(reviews, title="", left="", now=MONDAY).startswith("4 reviews are due:")
    headlines = [reminder_headline(i, title="Imaging AI", now=MONDAY) for i in (late, friday, reviews)]
    assert reminder_subject(headlines) == "Imaging AI is overdue (and 2 more)"
    assert reminder_subject(headlines[1:2]) == "Imaging AI is due on Friday"
    with pytest.raises(ValueError):
        reminder_line(Item(Rule.NUDGE, ""), title="", left="", now=MONDAY)


def test_the_digest_names_a_few_and_counts_the_rest():
    assert named(["Ann", "Ben"], more=0) == "Ann and Ben"
    assert named(["Ann", "Ben"], more=3) == "Ann, Ben and 3 more"
    assert digest_subject(team="Ward 7", needing_attention=1) == "Ward 7 this week: 1 person to look at"
    assert digest_subject(team="Ward 7", needing_attention=0) == "Ward 7 this week: everyone is on track"


def test_an_unsubscribe_token_names_a_person_and_a_kind_and_nothing_else_reads():
    token = make_token(user_id=42, kind="digest")
    found = read_token(token)
    assert (found.user_id, found.kind) == (42, "digest")
    assert "/" not in token  # it travels as one path segment
    for broken in (token[:-1] + ("A" if token[-1] != "A" else "B"), token.replace(":", ".", 1), "", "x:y:z"):
        with pytest.raises(BadToken):
            read_token(broken)
    with pytest.raises(ValueError):
        make_token(user_id=42, kind="everything")
