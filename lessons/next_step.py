"""What to do next: the one rule for the step a page suggests after a lesson, a quiz or a course.

A lesson marked complete, a quiz passed and a course completed each end in a small success
panel that suggests where to go. The suggestion is worked out here, from plain facts
(``Progress``) a selector gathered, so every page says the same thing:

1. the next lesson the learner has not done (after the one they are on, else the first);
2. else a quiz of the course not passed yet;
3. else, the course being complete (``courses.completion``'s rule), the next track not
   complete, or the catalog when every track is done;
4. and, beside any of these, the review cards that are due, when there are some.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from courses.completion import Standing


@dataclass(frozen=True)
class Step:
    """One suggested step: what kind it is, the button's words, and where it leads."""

    kind: str  # lesson | quiz | course | catalog | review
    label: str
    title: str
    url: str


@dataclass(frozen=True)
class Progress:
    """Where one learner stands in one course, and the places the next step may lead to.

    ``next_lesson`` and ``next_course`` are anything with ``title`` and ``get_absolute_url``;
    ``quiz_left`` anything with ``title`` and ``url`` (an ``assessments.OutlineEntry``).
    """

    course: Any
    standing: Standing
    next_lesson: Any = None
    quiz_left: Any = None
    next_course: Any = None

    @property
    def complete(self) -> bool:
        return self.standing.complete


def next_steps(
    progress: Progress, *, due_reviews: int = 0, review_url: str = "", catalog_url: str = "/"
) -> list[Step]:
    """The steps to suggest, the main one first (see the module's rule)."""
    steps = []
    if progress.next_lesson is not None:
        lesson = progress.next_lesson
        steps.append(Step("lesson", "Next lesson", lesson.title, lesson.get_absolute_url()))
    elif progress.quiz_left is not None:
        quiz = progress.quiz_left
        steps.append(Step("quiz", "Take the quiz", quiz.title, quiz.url))
    elif progress.complete and progress.next_course is not None:
        course = progress.next_course
        steps.append(
            Step("course", "Start the next track", course.title, course.get_absolute_url())
        )
    elif progress.complete:
        steps.append(Step("catalog", "Every track is done: see them all", "", catalog_url))
    if due_reviews > 0 and review_url:
        cards = f"{due_reviews} card{'s' if due_reviews != 1 else ''}"
        steps.append(Step("review", f"Review {cards} due", "", review_url))
    return steps
