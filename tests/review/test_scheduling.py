"""review/scheduling.py: FSRS with its default parameters, on a frozen clock."""

import datetime

from fsrs import Rating

from review.scheduling import SNOOZE, schedule, snoozed_until

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def test_a_wrong_first_answer_is_due_again_within_a_day():
    card = schedule(None, Rating.Again, now=NOW)
    assert NOW < card.due <= NOW + DAY
    assert card.last_review == NOW


def test_a_wrong_answer_to_a_well_known_card_brings_it_back_within_a_day():
    card = schedule(None, Rating.Easy, now=NOW)
    later = card.due
    assert later > NOW + DAY
    again = schedule(card.fsrs, Rating.Again, now=later)
    assert later < again.due <= later + DAY


def test_a_run_of_right_answers_spreads_the_intervals_out():
    state, now, intervals = None, NOW, []
    for _ in range(6):
        card = schedule(state, Rating.Good, now=now)
        intervals.append(card.due - now)
        state, now = card.fsrs, card.due
    assert intervals == sorted(intervals)
    assert intervals[-1] > 10 * DAY
    assert len(set(intervals)) == len(intervals)


def test_sure_and_right_waits_longer_than_guessing_and_right():
    easy, good, hard = (schedule(None, r, now=NOW) for r in (Rating.Easy, Rating.Good, Rating.Hard))
    assert easy.due > good.due > hard.due > NOW


def test_the_state_round_trips_through_what_is_stored():
    card = schedule(None, Rating.Good, now=NOW)
    again = schedule(card.fsrs, Rating.Good, now=card.due)
    assert again.stability > 0 and again.difficulty > 0
    assert again.last_review == card.due


def test_a_snooze_puts_a_due_card_off_a_day_and_never_brings_one_forward():
    assert snoozed_until(NOW - DAY, now=NOW) == NOW + SNOOZE
    assert snoozed_until(NOW + 3 * DAY, now=NOW) == NOW + 3 * DAY
