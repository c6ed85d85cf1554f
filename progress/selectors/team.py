"""A team's members and their progress in its assigned courses: what the dashboard, the member
page, the CSV and the reminders all start from.

- ``assigned_courses``: the team's published assigned courses with everything the pages list
  about them folded into one query (totals, quizzes, lessons, the assignment's dates);
- ``team_members``: the members (role "member"), each with their user and profile, in name
  order (``member_order``: display name, else username);
- ``team_progress``: both, with every member's progress in every course (three more queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf, Trim

from accounts.models import Assignment, Membership, Team
from core.json_lists import json_list, json_rows
from courses.models import Course
from lessons.models import Lesson

from .course_progress import (
    PUBLISHED,
    CourseProgress,
    course_progress,
    with_quiz_list,
    with_totals,
)

# The team dashboard's per-member parts (the heatmap and its table) show this many members a
# page; the team-level figures cover every member.
MEMBERS_PER_PAGE = 50


@dataclass
class TeamProgress:
    """A team's members (role "member"; managers are not counted) in its assigned courses."""

    team: Team
    members: list[Membership]
    courses: list[Course]
    progress: dict[tuple[int, int], CourseProgress]
    all_courses: list[Course] = field(default_factory=list)

    def rows(self):
        """(membership, course, progress) for every member x course, members in name order."""
        for membership in self.members:
            for course in self.courses:
                yield membership, course, self.progress[(membership.user_id, course.pk)]

    def assignments(self) -> dict[int, Assignment]:
        """The assignment of each listed course, by course id, from ``assigned_courses``'
        annotations (no query): what ``progress.selectors.attention`` takes."""
        return {course.pk: assignment_of(self.team, course) for course in self.courses}


def member_order() -> list:
    """The order members are listed in everywhere on the team side: by the name others see
    them by (``accounts.names``: the display name, else the username), ignoring case; the
    username breaks ties. A database expression, so paging needs no Python sort."""
    shown = Coalesce(NullIf(Trim("user__profile__display_name"), Value("")), "user__username")
    return [Lower(shown), "user__username"]


def team_members(team: Team) -> QuerySet[Membership]:
    """The team's members (not managers) with user and profile (naming them costs no query)."""
    return (
        team.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("user__profile")
        .order_by(*member_order())
    )


def member_ids(team: Team) -> QuerySet[Membership]:
    """The team's members' user ids, as a subquery (no list of ids is sent to the database)."""
    return Membership.objects.filter(team_id=team.pk, role=Membership.Role.MEMBER).values("user_id")


def with_lesson_list(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Annotate ``lesson_list``: the course's published lessons (id, slug, title, order) as
    JSON text, read with ``course_lessons``; saves the pages a lessons query of its own."""
    lessons = Lesson.objects.filter(course=OuterRef("pk"), status=PUBLISHED)
    return courses.annotate(
        lesson_list=json_list(lessons, group_by="course", id="pk", slug="slug", title="title", order="order")
    )


def course_lessons(course: Course) -> list[Lesson]:
    """The lessons ``with_lesson_list`` annotated on ``course`` (no query), in course order."""
    return [
        Lesson(pk=row["id"], slug=row["slug"], title=row["title"], order=row["order"],
               course=course, status=PUBLISHED)  # fmt: skip
        for row in json_rows(course.lesson_list)
    ]


def assigned_courses(team: Team) -> QuerySet[Course]:
    """The team's published assigned courses in course order, in one query: with totals
    (``with_totals``), quizzes (``published_quizzes``), lessons (``course_lessons``), and
    ``assigned_at`` and ``due_on`` from the team's assignment of each."""
    courses = Course.objects.filter(is_published=True, assignments__team_id=team.pk).annotate(
        # The same join as the filter's: one row per course.
        assigned_at=F("assignments__assigned_at"),
        due_on=F("assignments__due_on"),
    )
    return with_lesson_list(with_quiz_list(with_totals(courses))).order_by("order", "title")


def assignment_of(team: Team, course: Course) -> Assignment:
    """The team's assignment of ``course`` (from ``assigned_courses``), unsaved: no query."""
    return Assignment(
        team=team, course_id=course.pk, assigned_at=course.assigned_at, due_on=course.due_on
    )


def team_without_progress(*, team: Team, course_slug: str | None = None) -> TeamProgress:
    """The team's members and courses (two queries); ``progress`` is left empty."""
    members = list(team_members(team))
    all_courses = list(assigned_courses(team))
    courses = [c for c in all_courses if c.slug == course_slug] if course_slug else all_courses
    return TeamProgress(team=team, members=members, courses=courses, progress={}, all_courses=all_courses)


def team_progress(*, team: Team, course_slug: str | None = None) -> TeamProgress:
    """The team's members and their progress in its published assigned courses (or one)."""
    data = team_without_progress(team=team, course_slug=course_slug)
    data.progress = course_progress(user_ids=[m.user_id for m in data.members], courses=data.courses)
    return data


def members_page(members: Sequence[Membership], number, per_page: int = MEMBERS_PER_PAGE) -> Page:
    """Page ``number`` of the members, ``per_page`` a page, in their order.

    Any bad number (missing, not a whole number, below 1 or past the last page) gives page 1,
    so a stale or hand-edited link still shows the dashboard. No query: ``members`` is a list.
    """
    paginator = Paginator(members, per_page)
    try:
        return paginator.page(number)
    except (InvalidPage, OverflowError):
        return paginator.page(1)
