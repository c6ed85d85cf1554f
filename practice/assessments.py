"""The practice app's answers to ``lessons.assessments``: how many exercises were answered.

Registered in ``PracticeConfig.ready``. Exercises never change whether a course is complete
(their tally is 0 of 0); answering all of a lesson's completes the lesson instead
(``practice.services``). The lesson panel, "k of n exercises answered", reads what the page's
embeds already loaded (``core.embeds.prefetched``) and costs no query; the course panel
lists, per lesson, the exercises answered, in one query.
"""

from collections.abc import Sequence

from core import embeds
from core.rendering import EMBED_PLACEHOLDER
from lessons.assessments import Panel, Tally

from .blocks import prefetch_blocks
from .models import Block
from .selectors import course_tallies

LESSON_TALLY = "practice/includes/lesson_tally.html"
COURSE_TALLIES = "practice/includes/course_tallies.html"


def lesson_slugs(body_html: str) -> list[str]:
    """The slugs of the check and predict blocks a stored lesson body embeds, once each."""
    slugs = []
    for match in EMBED_PLACEHOLDER.finditer(body_html or ""):
        if match["kind"] in Block.Kind.values and match["slug"] not in slugs:
            slugs.append(match["slug"])
    return slugs


class PracticeAssessments:
    """Exercises answered per lesson; never part of a course's pass or completion tally."""

    wants_request = True  # the lesson panel reuses the page's prefetched blocks and answers

    def tallies(self, *, user, course_ids: Sequence[int]) -> dict[int, Tally]:
        return {}  # exercises do not count towards a course's completion: no query

    def course_panel(self, *, user, course) -> Panel | None:
        if user is None or not user.is_authenticated:
            return None
        rows = course_tallies(user=user, course=course)
        if not rows:
            return None
        return Panel(
            template=COURSE_TALLIES,
            context={"rows": rows, "course": course, "heading_id": f"exercises-{course.slug}"},
            tally=Tally(),
        )

    def lesson_panel(self, *, user, lesson, request=None) -> Panel | None:
        slugs = lesson_slugs(lesson.body_html)
        if not slugs or user is None or not user.is_authenticated:
            return None
        practice = None
        if request is not None:
            practice = embeds.prefetched(request, Block.Kind.CHECK) or embeds.prefetched(
                request, Block.Kind.PREDICT
            )
        if practice is None:
            practice = prefetch_blocks(request, slugs) if request is not None else None
        if practice is None:
            return None
        answered, total = practice.tally(slugs)
        if not total:
            return None
        return Panel(
            template=LESSON_TALLY,
            context={"answered": answered, "total": total, "lesson": lesson},
            tally=Tally(),
        )
