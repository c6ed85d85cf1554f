"""What a learner knows: mastery of one learning objective, by one rule, pure.

Beside ``courses.completion`` (what a learner has *done*), this says how well they *know*
each objective (``lessons.Objective``). The rule takes plain values; the queries that gather
them live in ``progress.selectors.mastery``, and every page, export and (later) reminder that
shows a level reads it from here.

**Evidence** for an objective is every answer of the learner to a check, predict block or
quiz question tagged with it, as an ``Evidence(is_correct, confidence, answered_at, source,
item)``:

- ``source`` ``"block"``: the learner's first answer to a block (``BlockAnswer.is_first``);
  answers in the learner's own words are not marked, so they are not evidence;
- ``source`` ``"quiz"``: their response to a question in their first submitted attempt at
  its quiz (``answered_at`` is when the attempt was submitted);
- ``source`` ``"review"``: an answer in the spaced-review queue (the ``review`` app), every
  one; more evidence of the same shape, so reviews plug in without changing the rule.

``item`` names what was answered (``"block:12"``, ``"question:7"``); a review of a question
carries that question's item, so "different questions" means different items.

**The rule.** Sort the evidence oldest first (``answered_at``; ties keep their given order).
No evidence: *not started*. Otherwise only the **window**, the last ``WINDOW`` = 4 answers,
decides, so a level goes down as well as up as new answers push old ones out. In the window
count *right*, *wrong*, the *solid* right answers (right and not given as "guessing") and
the *items* those solid answers are on, and *confidently wrong* answers (wrong and "sure"):

| level | when, in the window |
|---|---|
| mastered | proficient, the latest answer right, and a solid right answer that is a review or came at least ``SPACED_DAYS`` = 3 days after the learner's first evidence for the objective |
| proficient | at most one wrong, and solid right answers on at least two different items |
| familiar | at least one right answer, and no more wrong than right |
| attempted | any other evidence |
| not started | no evidence |

Then **each confidently wrong answer in the window lowers the level one step**, never below
*attempted*: being sure and wrong is a misconception, worse than not knowing. So

- right, right (two questions): proficient; a third right answer three days later: mastered;
- mastered, then a wrong answer given as "think so": proficient (the latest is wrong);
  given as "sure": familiar;
- two right answers given as "guessing": familiar, never proficient;
- four wrong answers in a row, whatever came before: attempted.

**What to practise first** (``practise_first``): objectives below proficient, lowest first
(attempted, then familiar, then not started: what you got wrong before what you have not
met), then in course order; at most ``PRACTISE_FIRST`` of them.
"""

from __future__ import annotations

import datetime
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WINDOW = 4
SPACED_DAYS = 3
PRACTISE_FIRST = 3

SURE = "sure"
GUESSING = "guessing"
REVIEW = "review"


class Level(enum.IntEnum):
    NOT_STARTED = 0
    ATTEMPTED = 1
    FAMILIAR = 2
    PROFICIENT = 3
    MASTERED = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Evidence:
    """One answer that tells something about one objective."""

    is_correct: bool
    confidence: str  # "sure" | "think_so" | "guessing" | "" (not given)
    answered_at: datetime.datetime
    source: str  # "block" | "quiz" | "review"
    item: str = ""  # the question or block answered, e.g. "question:7"

    @property
    def is_solid(self) -> bool:
        """Right, and not given as a guess."""
        return self.is_correct and self.confidence != GUESSING

    @property
    def is_confidently_wrong(self) -> bool:
        return not self.is_correct and self.confidence == SURE


@dataclass(frozen=True)
class Assessment:
    """One learner's level on one objective, with the counts that decided it."""

    level: Level
    answers: int = 0  # all the evidence
    right: int = 0  # in the window
    window: int = 0  # answers in the window (at most WINDOW)
    confidently_wrong: int = 0  # in the window

    @property
    def below_proficient(self) -> bool:
        return self.level < Level.PROFICIENT


def _base_level(window: Sequence[Evidence], first_at: datetime.datetime) -> Level:
    right = sum(1 for e in window if e.is_correct)
    wrong = len(window) - right
    solid = [e for e in window if e.is_solid]
    if wrong <= 1 and len({e.item for e in solid}) >= 2:
        spaced = first_at + datetime.timedelta(days=SPACED_DAYS)
        if window[-1].is_correct and any(
            e.source == REVIEW or e.answered_at >= spaced for e in solid
        ):
            return Level.MASTERED
        return Level.PROFICIENT
    if right >= 1 and right >= wrong:
        return Level.FAMILIAR
    return Level.ATTEMPTED


def assess(evidence: Iterable[Evidence]) -> Assessment:
    """The level that ``evidence`` (in any order) gives, by the rule above."""
    ordered = sorted(evidence, key=lambda e: e.answered_at)
    if not ordered:
        return Assessment(level=Level.NOT_STARTED)
    window = ordered[-WINDOW:]
    confidently_wrong = sum(1 for e in window if e.is_confidently_wrong)
    level = Level(max(Level.ATTEMPTED, _base_level(window, ordered[0].answered_at) - confidently_wrong))
    return Assessment(
        level=level,
        answers=len(ordered),
        right=sum(1 for e in window if e.is_correct),
        window=len(window),
        confidently_wrong=confidently_wrong,
    )


_PRACTISE_ORDER = {Level.ATTEMPTED: 0, Level.FAMILIAR: 1, Level.NOT_STARTED: 2}


def practise_first(levels: Sequence[tuple[object, Level]], limit: int = PRACTISE_FIRST) -> list:
    """The things (objectives, in course order) to practise first: below proficient, lowest
    first (attempted, familiar, not started), at most ``limit``."""
    below = [(thing, level) for thing, level in levels if level in _PRACTISE_ORDER]
    below.sort(key=lambda pair: _PRACTISE_ORDER[pair[1]])  # stable: course order within a level
    return [thing for thing, _ in below[:limit]]


def level_counts(levels: Iterable[Level]) -> dict[Level, int]:
    """How many of ``levels`` are at each level, every level present (0 when none)."""
    counted = Counter(levels)
    return {level: counted.get(level, 0) for level in Level}
