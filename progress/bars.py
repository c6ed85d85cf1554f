"""Bar charts that the server draws, for learner pages: a table of the figures, one bar a row.

Learner pages stay within 30 kB of gzipped JavaScript and plotly alone is 1.47 MB, so these
charts need no script at all. Each bar is an SVG rect whose length is an attribute (a share of
its cell), as the Content Security Policy forbids style attributes; its colour comes from a
CSS token, so a dark theme recolours it. The figures are the table's own cells, so a screen
reader reads numbers, not a picture, and ``summary`` says what the chart shows in a sentence.
Managers' dashboards keep plotly (``progress.charts``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One row: what it counts (``when``, a week's Monday), the count and its bar's length."""

    when: datetime.date
    value: int
    length: str  # an SVG length: the share of the longest bar, "0%" to "100%"


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    total: int
    peak: Bar | None  # the first of the longest bars; None when every count is 0

    @property
    def summary(self) -> str:
        """The chart in words: how many in all, and the busiest week."""
        weeks = len(self.bars)
        if self.peak is None:
            return f"No lessons completed in the last {weeks} weeks."
        lessons = "lesson" if self.total == 1 else "lessons"
        most = "lesson" if self.peak.value == 1 else "lessons"
        return (
            f"{self.total} {lessons} completed in the last {weeks} weeks; the most in one week "
            f"was {self.peak.value} {most}, in the week of {self.peak.when:%-d %B %Y}."
        )


def _length(value: int, longest: int) -> str:
    return f"{100 * value / longest:.1f}%" if value and longest else "0%"


def activity_bars(weeks: Sequence[tuple[datetime.date, int]]) -> BarChart:
    """Lessons completed per week (``LearnerDashboard.weeks``), each bar against the longest."""
    longest = max((count for _, count in weeks), default=0)
    bars = [Bar(when=week, value=count, length=_length(count, longest)) for week, count in weeks]
    peak = next((bar for bar in bars if bar.value == longest), None) if longest else None
    return BarChart(bars=bars, total=sum(bar.value for bar in bars), peak=peak)
