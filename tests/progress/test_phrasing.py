"""The team pages' sentences (progress/phrasing.py), called directly."""

import datetime

from progress.attention import Concern, Reason
from progress.glance import CellTrouble, Change, ObjectiveTrouble
from progress.item_analysis import ItemStats
from progress.phrasing import (
    cell_sentence,
    change_words,
    concern_text,
    member_notes,
    objective_sentence,
    question_sentence,
    short_date,
)
from quizzes.models import Choice, Question

TODAY = datetime.date(2026, 11, 30)


def test_dates_leave_out_this_year():
    assert short_date(datetime.date(2026, 11, 12), today=TODAY) == "12 Nov"
    assert short_date(datetime.date(2025, 12, 1), today=TODAY) == "1 Dec 2025"


def test_each_reason_in_words():
    due = datetime.date(2026, 11, 12)
    assert concern_text(Concern(Reason.OVERDUE, 1, 1, due, 18), course="Imaging AI", today=TODAY) == (
        "Overdue: Imaging AI was due 12 Nov (18 days ago)"
    )
    assert concern_text(Concern(Reason.OVERDUE, 1, 1, due, 1), course="X", today=TODAY).endswith("(yesterday)")
    soon = datetime.date(2026, 12, 3)
    assert concern_text(Concern(Reason.DUE_SOON, 1, 1, soon, 3), course="Imaging AI", today=TODAY) == (
        "Due soon: Imaging AI is due 3 Dec (in 3 days)"
    )
    assert concern_text(Concern(Reason.DUE_SOON, 1, 1, TODAY, 0), course="X", today=TODAY).endswith("(today)")
    assert concern_text(Concern(Reason.FAILING_QUIZ, 7, 1), quiz="Quiz X", best_percent=40, pass_percent=70,
                        today=TODAY) == "Failing Quiz X: best 40%, pass mark 70%"  # fmt: skip
    assert concern_text(Concern(Reason.CONFIDENTLY_WRONG, 3, 1), objective="Tell format from knowledge gaps",
                        today=TODAY) == "Sure but wrong on: Tell format from knowledge gaps"  # fmt: skip
    assert concern_text(Concern(Reason.NOT_STARTED, 1, 1, days=9), course="Diagnostics AI", today=TODAY) == (
        "Not started Diagnostics AI, assigned 9 days ago"
    )
    assert concern_text(Concern(Reason.INACTIVE, 1, 1, days=16), today=TODAY) == "Inactive for 16 days"


def test_a_members_notes_merge_what_repeats():
    concerns = [
        Concern(Reason.FAILING_QUIZ, 7, 1),
        Concern(Reason.CONFIDENTLY_WRONG, 30, 1),
        Concern(Reason.CONFIDENTLY_WRONG, 31, 1),
        Concern(Reason.INACTIVE, 1, 1, days=16),
        Concern(Reason.INACTIVE, 2, 2, days=16),
    ]
    words = {
        "courses": {1: "Imaging AI", 2: "Diagnostics AI"},
        "quizzes": {7: ("Imaging check", 70)},
        "best": {7: 40},
        "objectives": {30: "Read a label", 31: "Spot a shift"},
        "today": TODAY,
    }
    assert member_notes(concerns, **words) == [
        (Reason.FAILING_QUIZ, "Failing Imaging check: best 40%, pass mark 70%"),
        (Reason.CONFIDENTLY_WRONG, "Sure but wrong on: Read a label"),
        (Reason.CONFIDENTLY_WRONG, "Sure but wrong on: Spot a shift"),
        (Reason.INACTIVE, "Inactive for 16 days (Imaging AI, Diagnostics AI unfinished)"),
    ]
    brief = member_notes(concerns, brief=True, **words)
    assert brief[1] == (Reason.CONFIDENTLY_WRONG, "Sure but wrong on 2 objectives, such as “Read a label”")
    assert len(brief) == 3


def test_misunderstandings_as_sentences():
    assert objective_sentence(ObjectiveTrouble(1, "Read a label", 1, answered=12, sure_wrong=6, below=8)) == (
        "6 of 12 who answered are sure but wrong about “Read a label”"
    )
    assert objective_sentence(ObjectiveTrouble(1, "Read a label", 1, answered=4, sure_wrong=1, below=1)) == (
        "1 of 4 who answered is sure but wrong about “Read a label”"
    )
    assert objective_sentence(ObjectiveTrouble(1, "Read a label", 1, answered=12, sure_wrong=0, below=8)) == (
        "8 of 12 who answered are not yet proficient in “Read a label”"
    )
    assert cell_sentence(CellTrouble("M", "Domain coverage", "Strong base", 10, 7, 3)) == (
        "7 of 10 predicted Domain coverage wrong for “Strong base” (3 of them sure)"
    )
    assert cell_sentence(CellTrouble("M", "Output format", "Weak base", 4, 1, 0)) == (
        "1 of 4 predicted Output format wrong for “Weak base”"
    )


def test_changes_against_the_week_before():
    assert change_words(Change("lessons", "lesson completed", "lessons completed", 5, 2)) == "up 3 on the week before"
    assert change_words(Change("lessons", "lesson completed", "lessons completed", 1, 4)) == "down 3 on the week before"
    assert change_words(Change("lessons", "lesson completed", "lessons completed", 2, 2)) == "the same as the week before"


def test_a_question_worth_a_look_in_words():
    question = Question(pk=1, prompt="Which model wins on format compliance?")
    item = ItemStats(question=question, answered=8, right=3, sure_wrong=2,
                     wrong_choice=Choice(pk=2, text="The generalist"))  # fmt: skip
    assert question_sentence(item) == (
        "“Which model wins on format compliance?”: 3 of 8 got it right, 2 were sure but wrong; "
        "the wrong answer most chosen: “The generalist”"
    )
