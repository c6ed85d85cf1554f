"""The dashboard's first screen as rules (progress/glance.py), called directly with plain values."""

import datetime
from types import SimpleNamespace

from courses.mastery import Assessment, Level
from progress.attention import Concern, Reason
from progress.glance import (
    CellTrouble,
    WeekFacts,
    Windows,
    attention_order,
    mispredicted_cells,
    misunderstood_objectives,
    week_figures,
)

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def days_ago(days: float) -> datetime.datetime:
    return NOW - days * DAY


# --- who needs attention first ----------------------------------------------------------------


def test_attention_puts_the_most_pressing_reason_first_then_the_longest_then_name_order():
    concerns = {
        1: [Concern(Reason.INACTIVE, 10, 10, days=20)],
        2: [Concern(Reason.OVERDUE, 10, 10, days=3)],
        3: [Concern(Reason.OVERDUE, 10, 10, days=9), Concern(Reason.NOT_STARTED, 11, 11, days=30)],
        4: [],
        5: [Concern(Reason.INACTIVE, 10, 10, days=20)],
        6: [Concern(Reason.NOT_STARTED, 10, 10, days=8)],
    }
    order = [5, 1, 2, 3, 4, 6]  # name order: 5 before 1
    ranked = attention_order(concerns, order=order)
    assert [user_id for user_id, _ in ranked] == [3, 2, 5, 1, 6]
    assert ranked[0][1] == tuple(concerns[3])


def test_no_concerns_no_one_listed():
    assert attention_order({1: [], 2: []}, order=[1, 2]) == []


# --- what the team misunderstands -----------------------------------------------------------


def objective(pk, text="", course_id=1):
    return SimpleNamespace(pk=pk, text=text or f"Objective {pk}", course_id=course_id)


def assessed(level, answers=2, sure_wrong=0):
    return Assessment(level=level, answers=answers, confidently_wrong=sure_wrong)


def test_objectives_most_are_sure_but_wrong_about_come_first_counted_over_those_who_answered():
    objectives = [objective(1), objective(2), objective(3), objective(4)]
    users = [10, 11, 12, 13]
    levels = {
        # Objective 1: 1 of 2 who answered is sure but wrong (50 %), both below proficient.
        (10, 1): assessed(Level.ATTEMPTED, sure_wrong=1), (11, 1): assessed(Level.FAMILIAR),
        # Objective 2: 2 of 3 sure but wrong (67 %).
        (10, 2): assessed(Level.ATTEMPTED, sure_wrong=2), (11, 2): assessed(Level.ATTEMPTED, sure_wrong=1),
        (12, 2): assessed(Level.MASTERED),
        # Objective 3: no one sure but wrong; 1 of 1 below proficient.
        (13, 3): assessed(Level.FAMILIAR),
        # Objective 4: everyone who answered is proficient: not listed.
        (10, 4): assessed(Level.PROFICIENT), (11, 4): assessed(Level.MASTERED),
        # Not started (no answers) does not count as answering.
        (12, 1): assessed(Level.NOT_STARTED, answers=0),
    }  # fmt: skip
    found = misunderstood_objectives(objectives, levels, user_ids=users)
    assert [(t.objective_id, t.answered, t.sure_wrong, t.below) for t in found] == [
        (2, 3, 2, 2),
        (1, 2, 1, 2),
        (3, 1, 0, 1),
    ]


def test_misunderstood_objectives_are_limited():
    objectives = [objective(n) for n in range(1, 8)]
    levels = {(1, n): assessed(Level.ATTEMPTED, sure_wrong=1) for n in range(1, 8)}
    found = misunderstood_objectives(objectives, levels, user_ids=[1], limit=3)
    assert [t.objective_id for t in found] == [1, 2, 3]  # ties keep the course order


def test_cells_most_often_predicted_wrong_come_first():
    cells = [
        CellTrouble("M", "Domain coverage", "Strong", predicted=10, wrong=3, sure_wrong=0),
        CellTrouble("M", "Output format", "Strong", predicted=4, wrong=3, sure_wrong=1),
        CellTrouble("M", "Audit", "Strong", predicted=4, wrong=3, sure_wrong=2),
        CellTrouble("M", "Breadth", "Strong", predicted=5, wrong=0, sure_wrong=0),
    ]
    assert [c.condition for c in mispredicted_cells(cells, limit=5)] == ["Audit", "Output format", "Domain coverage"]


# --- this week --------------------------------------------------------------------------------


def test_the_windows_split_at_seven_and_fourteen_days():
    windows = Windows(NOW)
    assert windows.which(NOW) == 0
    assert windows.which(days_ago(7)) == 0  # the start of this week is in it
    assert windows.which(days_ago(7) - datetime.timedelta(seconds=1)) == 1
    assert windows.which(days_ago(14)) == 1
    assert windows.which(days_ago(14.01)) is None
    assert windows.which(NOW + DAY) is None
    assert windows.which(None) is None


def test_week_figures_count_each_event_in_its_week():
    facts = WeekFacts(
        # (user, course): lessons this week, the week before, latest ever
        lessons={(1, 100): (3, 1, days_ago(1)), (2, 100): (0, 2, days_ago(9)), (3, 200): (0, 0, days_ago(30))},
        # (user, quiz): first pass
        first_passes={(1, 7): days_ago(2), (2, 7): days_ago(10), (3, 8): days_ago(40)},
        first_activity={1: days_ago(3), 2: days_ago(12), 3: days_ago(60)},
    )
    figures = week_figures(
        facts, now=NOW,
        joined={1: days_ago(20), 2: days_ago(13), 3: days_ago(90), 4: days_ago(1)},
        # 1 finished course 100 this week (last lesson 1 day ago, pass 2 days ago); 2 the week
        # before (passed 10 days ago, last lesson 9 days ago); 3 finished course 200 long ago.
        complete=[(1, 100), (2, 100), (3, 200)],
        quiz_courses={7: 100, 8: 200},
    )  # fmt: skip
    assert {c.key: (c.this_week, c.last_week) for c in figures.changes} == {
        "lessons": (3, 3),
        "passes": (1, 1),
        "started": (1, 1),
        "joined": (1, 1),
        "finished": (1, 1),
    }
    assert figures.finished == ((1, 100),)
    assert not figures.quiet


def test_a_course_counts_as_finished_when_its_last_step_was_taken():
    """The lessons were all done last week; the quiz was passed this week: finished this week."""
    facts = WeekFacts(lessons={(1, 100): (0, 4, days_ago(8))}, first_passes={(1, 7): days_ago(1)},
                      first_activity={1: days_ago(13)})  # fmt: skip
    figures = week_figures(facts, now=NOW, joined={}, complete=[(1, 100)], quiz_courses={7: 100})
    assert figures.finished == ((1, 100),)
    incomplete = week_figures(facts, now=NOW, joined={}, complete=[], quiz_courses={7: 100})
    assert incomplete.finished == () and {c.key: c.this_week for c in incomplete.changes}["finished"] == 0


def test_a_quiet_fortnight_is_quiet_and_labels_agree_with_the_numbers():
    figures = week_figures(WeekFacts({}, {}, {}), now=NOW, joined={}, complete=[], quiz_courses={})
    assert figures.quiet
    assert [c.label for c in figures.changes] == [
        "lessons completed", "quizzes passed", "members started", "new members", "courses finished",
    ]  # fmt: skip
    one = week_figures(WeekFacts({(1, 1): (1, 0, NOW)}, {}, {}), now=NOW, joined={}, complete=[], quiz_courses={})
    assert one.changes[0].label == "lesson completed" and one.changes[0].delta == 1
