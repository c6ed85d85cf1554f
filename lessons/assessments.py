"""Assessments: what a course asks of a learner besides reading its lessons.

The catalog, the course overview and the lesson page live here in ``lessons``, but a
course is complete only when its quizzes are passed too, and ``quizzes`` sits above
``lessons`` (a quiz may follow a lesson). Rather than reaching upwards, these pages ask the
registered assessment providers: ``quizzes`` registers one in ``QuizzesConfig.ready``, the
way every app registers its content-file handler. With none registered (an app without
quizzes) a course asks for nothing but its lessons.

A provider answers three questions, each in one query whatever the numbers:

- ``tallies(user=, course_ids=)``: per course id, (passed, published) for ``user``;
- ``course_panel(user=, course=)``: the section the course overview shows, with its tally
  and the ``Requirement``s the course's activity information states (pass marks);
- ``lesson_panel(user=, lesson=)``: the section shown after a lesson, or None.

One optional extension: a provider whose class sets ``wants_request = True`` is also given
``request=`` in ``lesson_panel`` (None outside a request). It lets a panel reuse what the
lesson's embeds loaded for this page (``core.embeds.prefetched``) instead of asking the
database again; ``practice`` uses it for "k of n checks answered".

A second optional extension: a provider with ``outline(user=, course=)`` lists its published
assessments for the lesson page's course outline (``OutlineEntry``), in one query (given
``request=`` too when it ``wants_request``: ``quizzes`` keeps the course's quiz list per
content version, ``core.shared``).

Panels carry their own template name and context, rendered with ``{% include %}``, so no
template here loads a tag library from above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Tally:
    """How many of a course's published assessments the learner passed, out of how many."""

    passed: int = 0
    total: int = 0


@dataclass(frozen=True)
class Requirement:
    """An assessment a learner must pass to complete the course, as the course's activity
    information states it (``courses.activity``): its title, pass mark, and how many
    questions one attempt asks."""

    title: str
    pass_percent: int
    questions: int


@dataclass(frozen=True)
class Panel:
    """A section a provider adds to a page: a template, its context, the course's tally, and
    (on the course overview) the assessments it requires, read with the panel."""

    template: str
    context: Mapping = field(default_factory=dict)
    tally: Tally = Tally()
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class OutlineEntry:
    """An assessment in a course outline: its title, address, and whether the learner passed it.

    ``after_lesson_id`` places it after the lesson it follows; None puts it at the end.
    """

    title: str
    url: str
    passed: bool = False
    after_lesson_id: int | None = None


class AssessmentProvider(Protocol):
    def tallies(self, *, user, course_ids: Sequence[int]) -> dict[int, Tally]: ...

    def course_panel(self, *, user, course) -> Panel | None: ...

    def lesson_panel(self, *, user, lesson) -> Panel | None: ...


_providers: list[AssessmentProvider] = []


def register(provider: AssessmentProvider) -> None:
    """Add ``provider`` once (``ready`` may run more than once in tests)."""
    if not any(type(existing) is type(provider) for existing in _providers):
        _providers.append(provider)


def tallies(*, user, course_ids: Sequence[int]) -> dict[int, Tally]:
    """Per course id, the learner's passed and published assessments over every provider."""
    combined = {course_id: Tally() for course_id in course_ids}
    for provider in _providers:
        for course_id, tally in provider.tallies(user=user, course_ids=course_ids).items():
            before = combined.get(course_id, Tally())
            combined[course_id] = Tally(before.passed + tally.passed, before.total + tally.total)
    return combined


def course_panels(*, user, course) -> list[Panel]:
    return [
        panel
        for provider in _providers
        if (panel := provider.course_panel(user=user, course=course)) is not None
    ]


def lesson_panels(*, user, lesson, request=None) -> list[Panel]:
    panels = []
    for provider in _providers:
        extra = {"request": request} if getattr(provider, "wants_request", False) else {}
        panel = provider.lesson_panel(user=user, lesson=lesson, **extra)
        if panel is not None:
            panels.append(panel)
    return panels


def outline_entries(*, user, course, request=None) -> list[OutlineEntry]:
    """The course's assessments for its outline, over every provider that lists them."""
    entries = []
    for provider in _providers:
        outline = getattr(provider, "outline", None)
        if outline is not None:
            extra = {"request": request} if getattr(provider, "wants_request", False) else {}
            entries.extend(outline(user=user, course=course, **extra))
    return entries


def combined(panels: Sequence[Panel]) -> Tally:
    """The tally over ``panels`` (the course overview's, one per provider)."""
    return Tally(sum(p.tally.passed for p in panels), sum(p.tally.total for p in panels))
