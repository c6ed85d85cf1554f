"""What progress means: one definition, pure, used by every page, export and message.

Every figure a learner, a manager or a certificate sees comes from these rules, so no two
pages can disagree. The rules take plain numbers; the queries that count them live in each
app's selectors (``lessons.selectors``, ``quizzes.selectors``, ``progress.selectors``).

- **A lesson is done** when the learner has a completion for it and it is published. Drafts
  and completions of lessons since unpublished count for nothing.
- **A quiz is passed** when it is published and any of the learner's submitted attempts at it
  passed (an attempt passes when its percent reaches the quiz's pass mark; see
  ``quizzes.grading``). A later, lower attempt never takes a pass away.
- **The percentage** of a course is the share of its published lessons done, as a whole
  number **rounded down**: 2 of 3 is 66 %, and 100 % means every lesson is done, never
  "almost". Zero published lessons is 0 %.
- **A course is complete** when it has something published (a lesson or a quiz), every
  published lesson is done and every published quiz is passed. Reading every lesson without
  passing the quiz is not complete, and no page may say "finished" for it.
"""

from __future__ import annotations

from dataclasses import dataclass


def percent(done: int, total: int) -> int:
    """``done`` of ``total`` as a whole percentage, rounded down; 0 when ``total`` is 0."""
    if total <= 0:
        return 0
    return 100 * min(max(done, 0), total) // total


def is_complete(
    *, lessons_done: int, lessons_total: int, quizzes_passed: int, quizzes_total: int
) -> bool:
    """Every published lesson done and every published quiz passed, with something published."""
    return (
        lessons_total + quizzes_total > 0
        and lessons_done >= lessons_total
        and quizzes_passed >= quizzes_total
    )


def is_quiz_passed(attempts_passed: int) -> bool:
    """A quiz is passed once any submitted attempt passed: ``attempts_passed`` counts them."""
    return attempts_passed > 0


@dataclass(frozen=True)
class Standing:
    """One learner's standing in one course: the four counts every progress figure comes from.

    Pages build it from their own queries and read ``percent``, ``complete`` and what is
    left from here, never computing them themselves.
    """

    lessons_done: int = 0
    lessons_total: int = 0
    quizzes_passed: int = 0
    quizzes_total: int = 0

    @property
    def percent(self) -> int:
        return percent(self.lessons_done, self.lessons_total)

    @property
    def complete(self) -> bool:
        return is_complete(
            lessons_done=self.lessons_done,
            lessons_total=self.lessons_total,
            quizzes_passed=self.quizzes_passed,
            quizzes_total=self.quizzes_total,
        )

    @property
    def lessons_left(self) -> int:
        return max(0, self.lessons_total - self.lessons_done)

    @property
    def quizzes_left(self) -> int:
        return max(0, self.quizzes_total - self.quizzes_passed)

    @property
    def has_content(self) -> bool:
        return self.lessons_total + self.quizzes_total > 0
