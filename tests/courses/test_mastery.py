"""The mastery rule (courses/mastery.py) as pure functions: levels up, down, confidence, recency."""

import datetime
import itertools

import pytest

from courses.mastery import (
    PRACTISE_FIRST,
    SPACED_DAYS,
    WINDOW,
    Evidence,
    Level,
    assess,
    level_counts,
    practise_first,
)

START = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
_clock = itertools.count()


def ev(right=True, confidence="", *, item=None, days=None, source="quiz"):
    """One answer; each call is a minute after the last unless ``days`` after START is given."""
    tick = next(_clock)
    moment = START + (datetime.timedelta(days=days) if days is not None else datetime.timedelta(minutes=tick))
    return Evidence(
        is_correct=right, confidence=confidence, answered_at=moment, source=source,
        item=item or f"question:{tick}",
    )  # fmt: skip


def level(*evidence):
    return assess(evidence).level


def test_no_evidence_is_not_started():
    assert assess([]).level is Level.NOT_STARTED
    assert assess([]).answers == 0


def test_one_wrong_answer_is_attempted():
    assert level(ev(False)) is Level.ATTEMPTED


def test_one_right_answer_is_familiar():
    assert level(ev()) is Level.FAMILIAR


def test_two_right_answers_on_different_questions_are_proficient():
    assert level(ev(item="question:1"), ev(item="block:1")) is Level.PROFICIENT


def test_right_answers_on_the_same_question_are_not_proficient():
    assert level(ev(item="question:1"), ev(item="question:1", source="review")) is Level.FAMILIAR


def test_guessed_right_answers_never_make_proficient():
    assert level(ev(confidence="guessing"), ev(confidence="guessing")) is Level.FAMILIAR
    assert level(ev(confidence="guessing"), ev(confidence="sure")) is Level.FAMILIAR


def test_think_so_and_no_confidence_count_as_solid():
    assert level(ev(confidence="think_so"), ev()) is Level.PROFICIENT


def test_half_right_is_familiar_and_more_wrong_is_attempted():
    assert level(ev(False), ev()) is Level.FAMILIAR
    assert level(ev(False), ev(False), ev()) is Level.ATTEMPTED


def test_one_wrong_among_solid_rights_stays_proficient():
    assert level(ev(), ev(False), ev()) is Level.PROFICIENT
    assert level(ev(), ev(), ev(False)) is Level.PROFICIENT


def test_two_wrong_in_the_window_is_at_most_familiar():
    assert level(ev(), ev(), ev(False), ev(False)) is Level.FAMILIAR


def test_a_right_answer_spaced_after_the_first_masters():
    assert level(ev(days=0), ev(days=SPACED_DAYS)) is Level.MASTERED


def test_a_right_answer_just_before_the_spacing_does_not_master():
    early = START + datetime.timedelta(days=SPACED_DAYS) - datetime.timedelta(seconds=1)
    second = Evidence(True, "", early, "quiz", "question:b")
    assert level(ev(days=0, item="question:a"), second) is Level.PROFICIENT


def test_a_right_review_answer_masters_without_waiting():
    assert level(ev(item="question:1"), ev(item="block:2"), ev(item="question:1", source="review")) is Level.MASTERED


def test_a_guessed_spaced_answer_does_not_master():
    assert level(ev(days=0), ev(days=1), ev(days=SPACED_DAYS, confidence="guessing")) is Level.PROFICIENT


def test_mastered_needs_the_latest_answer_right():
    assert level(ev(days=0), ev(days=SPACED_DAYS), ev(False, days=SPACED_DAYS + 1)) is Level.PROFICIENT


def test_a_confidently_wrong_answer_drops_one_level_more():
    mastered = [ev(days=0), ev(days=SPACED_DAYS)]
    assert level(*mastered, ev(False, "think_so", days=SPACED_DAYS + 1)) is Level.PROFICIENT
    assert level(*mastered, ev(False, "sure", days=SPACED_DAYS + 1)) is Level.FAMILIAR


def test_each_confidently_wrong_answer_in_the_window_drops_a_level():
    # Base: familiar (two right, two wrong); two sure-and-wrong answers: two steps, floored.
    assert level(ev(), ev(), ev(False, "sure"), ev(False, "think_so")) is Level.ATTEMPTED
    assert level(ev(), ev(), ev(False, "sure"), ev(False, "sure")) is Level.ATTEMPTED


def test_confidently_wrong_never_goes_below_attempted():
    assert level(ev(False, "sure")) is Level.ATTEMPTED


def test_wrong_while_guessing_is_not_confidently_wrong():
    assert assess([ev(False, "guessing")]).confidently_wrong == 0
    assert level(ev(), ev(False, "guessing"), ev()) is Level.PROFICIENT


def test_only_the_last_answers_count():
    old_wrongs = [ev(False, "sure") for _ in range(10)]
    recent = [ev() for _ in range(WINDOW)]
    assessment = assess(old_wrongs + recent)
    assert assessment.level is Level.PROFICIENT
    assert assessment.answers == 10 + WINDOW
    assert (assessment.window, assessment.right, assessment.confidently_wrong) == (WINDOW, WINDOW, 0)


def test_levels_go_down_as_wrong_answers_push_right_ones_out():
    history = [ev(days=0), ev(days=1), ev(days=SPACED_DAYS), ev(days=SPACED_DAYS + 1)]
    assert level(*history) is Level.MASTERED
    for n, expected in enumerate(
        [Level.PROFICIENT, Level.FAMILIAR, Level.ATTEMPTED, Level.ATTEMPTED], start=1
    ):
        wrongs = [ev(False, days=10 + i) for i in range(n)]
        assert level(*history, *wrongs) is expected, n


def test_evidence_is_sorted_by_time_not_by_input_order():
    right_late = ev(days=5, item="question:x")
    right_later = ev(days=6, item="question:y")
    wrong_early = [ev(False, days=i / 10) for i in range(3)]
    assert level(right_later, *wrong_early, right_late) is Level.FAMILIAR
    assert level(*wrong_early, right_late, right_later) is Level.FAMILIAR


def test_recovery_after_a_misconception():
    assert level(ev(False, "sure"), ev(), ev()) is Level.FAMILIAR  # still in the window
    assert level(ev(False, "sure"), ev(), ev(), ev(), ev()) is Level.PROFICIENT  # pushed out


def test_level_labels_and_slugs():
    assert [lvl.label for lvl in Level] == ["Not started", "Attempted", "Familiar", "Proficient", "Mastered"]
    assert Level.NOT_STARTED.slug == "not-started"
    assert assess([ev(False)]).below_proficient and not assess([ev(), ev()]).below_proficient


def test_practise_first_puts_what_went_wrong_before_what_is_new():
    levels = [
        ("a", Level.NOT_STARTED), ("b", Level.MASTERED), ("c", Level.FAMILIAR),
        ("d", Level.ATTEMPTED), ("e", Level.PROFICIENT), ("f", Level.ATTEMPTED),
    ]  # fmt: skip
    assert practise_first(levels) == ["d", "f", "c"][:PRACTISE_FIRST]
    assert practise_first(levels, limit=10) == ["d", "f", "c", "a"]
    assert practise_first([("x", Level.MASTERED)]) == []


def test_level_counts_has_every_level():
    counts = level_counts([Level.FAMILIAR, Level.FAMILIAR, Level.MASTERED])
    assert list(counts) == list(Level)
    assert counts[Level.FAMILIAR] == 2 and counts[Level.NOT_STARTED] == 0


@pytest.mark.parametrize("confidence", ["", "think_so", "sure"])
def test_proficient_is_reached_the_same_way_whatever_solid_confidence(confidence):
    assert level(ev(confidence=confidence), ev(confidence=confidence)) is Level.PROFICIENT
