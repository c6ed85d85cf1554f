"""progress/bars.py: the learner's activity as server-drawn bars, each against the longest."""

import datetime

from progress.bars import activity_bars

MONDAY = datetime.date(2026, 11, 2)


def weeks(*counts):
    return [(MONDAY + datetime.timedelta(weeks=n), count) for n, count in enumerate(counts)]


def test_each_bar_is_its_share_of_the_busiest_week():
    chart = activity_bars(weeks(1, 0, 4, 2))
    assert [bar.length for bar in chart.bars] == ["25.0%", "0%", "100.0%", "50.0%"]
    assert [bar.value for bar in chart.bars] == [1, 0, 4, 2]
    assert chart.total == 7


def test_the_summary_names_the_total_and_the_first_busiest_week():
    chart = activity_bars(weeks(3, 0, 3))
    assert chart.peak.when == MONDAY
    assert chart.summary == (
        "6 lessons completed in the last 3 weeks; the most in one week was 3 lessons, "
        "in the week of 2 November 2026."
    )


def test_one_lesson_is_singular():
    assert activity_bars(weeks(0, 1)).summary == (
        "1 lesson completed in the last 2 weeks; the most in one week was 1 lesson, "
        "in the week of 9 November 2026."
    )


def test_no_lessons_means_no_bars_and_no_division_by_zero():
    chart = activity_bars(weeks(0, 0))
    assert chart.peak is None and chart.total == 0
    assert [bar.length for bar in chart.bars] == ["0%", "0%"]
    assert chart.summary == "No lessons completed in the last 2 weeks."
    assert activity_bars([]).bars == []
