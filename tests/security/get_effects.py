"""What a GET may change by design, and nothing more: the documented exceptions to "GET is safe".

- Viewing a published lesson while logged in records it as the place to resume (DESIGN.md):
  the visitor's own Enrollment for that lesson's course is created, or its ``last_lesson`` and
  ``last_seen_at`` move. A preview (a draft, or a draft course) records nothing.
- Opening a quiz issues the visitor's open Attempt at that quiz (issue 4), unless one is open.
- A search rebuilds the search index when the content changed since it was made (a derived
  copy of the content, like a cache: search/index.py).
- Django's own password-reset view moves a valid token from the link into the visitor's
  session (so it never leaks in a Referer header): at most one new session row.

``by_design(url, user, change)`` says why a change that a snapshot (snapshot.py) saw is one of
these, or returns None: then the GET changed state it must not.
"""

from django.contrib.sessions.models import Session
from django.urls import resolve

from courses.models import Enrollment
from lessons.models import Lesson
from quizzes.models import Attempt, Quiz
from search.models import IndexState, SearchDocument

from .snapshot import TableChange


def resolved_key(url: str) -> str:
    """The URL pattern a URL resolves to: its name, or its route when it has none."""
    match = resolve(url.split("?")[0])
    return match.view_name if match.url_name else match.route


def _url_object(url: str, queryset, **lookups):
    """The object a URL names: ``lookups`` map a field to the URL parameter holding it."""
    kwargs = resolve(url.split("?")[0]).kwargs
    return queryset.filter(**{field: kwargs[name] for field, name in lookups.items()}).first()


def by_design(url: str, user, change: TableChange) -> str | None:
    """Why ``change`` is by design for a GET of ``url`` by ``user`` (None: anonymous)."""
    key = resolved_key(url)
    if key == "password_reset_confirm" and change.table == Session._meta.db_table:
        if change.after - change.before <= 1 and not change.removed and not change.changed:
            return "Django keeps the reset token in the visitor's session"
        return None
    if key == "search:results" and change.table in (
        SearchDocument._meta.db_table,
        IndexState._meta.db_table,
    ):
        return "the search index, rebuilt from changed content"
    if user is None:
        return None
    if key == "lessons:detail" and change.table == Enrollment._meta.db_table:
        lesson = _url_object(
            url, Lesson.objects.select_related("course"), course__slug="course", slug="lesson"
        )
        if lesson is None or not (lesson.is_published and lesson.course.is_published):
            return None  # a preview records nothing
        rows = list(Enrollment.objects.filter(pk__in=change.added | change.changed))
        if change.removed or [(r.user_id, r.course_id) for r in rows] != [(user.pk, lesson.course_id)]:
            return None
        if rows[0].last_lesson_id != lesson.pk or rows[0].last_seen_at is None:
            return None
        return "the place to resume"
    if key == "quizzes:take" and change.table == Attempt._meta.db_table:
        quiz = _url_object(url, Quiz.objects, slug="quiz")
        if quiz is None or change.removed or change.changed or len(change.added) != 1:
            return None
        attempt = Attempt.objects.get(pk__in=change.added)
        if (attempt.user_id, attempt.quiz_id, attempt.submitted_at) != (user.pk, quiz.pk, None):
            return None
        return "the attempt issued with the quiz"
    return None
