"""Quiz lists and course completion for course and lesson pages.

``{% load quiz_tags %}`` then ``{% course_quizzes course %}``, ``{% lesson_quizzes lesson %}``
or ``{% course_complete course lessons_done lessons_total %}``. The user comes from the
context's ``request``; each tag costs at most one query, however many quizzes and attempts there are.
"""

from django import template

from quizzes.selectors import quiz_statuses, quizzes_passed

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("quizzes/tags/quiz_list.html", takes_context=True)
def course_quizzes(context, course):
    """The course's published quizzes, each with the user's status and a link to take it."""
    user = _user(context)
    return {
        "statuses": quiz_statuses(user=user, course=course),
        "signed_in": bool(user and user.is_authenticated),
        "heading": "Quizzes",
        "heading_id": f"quizzes-{course.slug}",
    }


@register.inclusion_tag("quizzes/tags/quiz_list.html", takes_context=True)
def lesson_quizzes(context, lesson):
    """The published quizzes that follow ``lesson``; renders nothing when there are none."""
    user = _user(context)
    return {
        "statuses": quiz_statuses(user=user, lesson=lesson),
        "signed_in": bool(user and user.is_authenticated),
        "heading": "Check your understanding",
        "heading_id": f"lesson-quizzes-{lesson.pk}",
    }


@register.inclusion_tag("quizzes/tags/course_complete.html", takes_context=True)
def course_complete(context, course, lessons_done, lessons_total):
    """Say "Course complete" when every published lesson is done and quiz passed, or what is left.

    ``lessons_done`` and ``lessons_total`` come from the course page, which counts lessons.
    """
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"signed_in": False}
    passed, quizzes_total = quizzes_passed(user=user, course=course)
    lessons_left = max(0, int(lessons_total) - int(lessons_done))
    quizzes_left = max(0, quizzes_total - passed)
    return {
        "course": course,
        "complete": lessons_left == 0 and quizzes_left == 0 and (lessons_total or quizzes_total),
        "lessons_left": lessons_left,
        "quizzes_left": quizzes_left,
        "signed_in": True,
    }
