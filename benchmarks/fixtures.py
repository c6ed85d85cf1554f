"""What the benchmarked pages need, printed as JSON: ``python -m benchmarks.fixtures``.

Run by ``benchmarks.run`` against the benchmark database after ``make_load_data --everyone``,
with the same environment (and so the same ``DJANGO_SECRET_KEY``) as the server it will
drive, because session data and the session's auth hash are signed with that key. It:

- picks the cohort learner with the most completed lessons; the teams whose dashboards are
  measured: the first team (``<prefix>-team-01``: 1,000 members with ``make_load_data
  --learners 10000 --teams 10``), the team of every learner (``<prefix>-everyone``: 10,000),
  and a team of ten it makes from the first team's first ten members (``<prefix>-ten``, same
  courses and due dates), so query counts can be compared at 10, 1,000 and 10,000 members;
- writes a database session for each of them, for each team's manager, and for the learners
  of the submission pool (sessions are rows, exactly what logging in makes), so wrk sends
  plain cookies;
- issues one open quiz attempt per pool learner (``POOL_LEARNERS``) and published quiz, and
  writes a valid answer body for each: every quiz submission grades a fresh attempt once;
- names ``VISITORS`` members of the first team with sessions: the cold measurements have one
  of them open a lesson before each dashboard request (new activity), and the team pages are
  measured while they keep opening the lessons of the team's courses that they have started
  (``activity_views``);
- lists every published lesson and the pool learners' sessions, for the first-view lesson
  page (each request a learner and lesson not seen before), and a member of the first team
  for the manager's page of one member;
- prints the cookie names, one CSRF secret (an unmasked 32-character token works in both
  the cookie and the X-CSRFToken header), and the slugs of a course, lessons, a quiz and a
  matrix.

Nothing here is used outside benchmarking; it runs on a throwaway database only.
"""

import json
import os
import sys
from datetime import timedelta

# Learners whose open attempts make the quiz submission pool (three quizzes each): more than
# a run sends (at most about 1,000 in 8 s here).
POOL_LEARNERS = 1500
# Members of the first team who make the new activity of the cold measurements and of the team
# pages measured while the team is active: enough that their lesson views rarely repeat.
VISITORS = 200


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _session_rows(users, engine):
    """A fresh Session row per user, as django.contrib.auth.login would leave it."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = engine.SessionStore()
    expires = timezone.now() + timedelta(days=1)
    keys, rows = {}, []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def _answer_body(attempt, questions) -> str:
    """A valid submission for ``attempt``: one answer per question, varied by attempt id."""
    parts = [f"attempt={attempt.pk}"]
    for number, question in enumerate(questions):
        choices = list(question.choices.all())
        pick = choices[(attempt.pk + number) % len(choices)]
        parts.append(f"q{question.pk}={pick.pk}")
    return "&".join(parts)


def build(prefix: str = "load") -> dict:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils.crypto import get_random_string

    from accounts.models import Membership, Team
    from courses.models import Enrollment
    from lessons.models import Lesson
    from matrix.models import DecisionMatrix
    from quizzes.models import Attempt, Quiz

    User = get_user_model()
    engine = import_module(settings.SESSION_ENGINE)
    teams = {
        "team": Team.objects.get(slug=f"{prefix}-team-01"),
        "everyone": Team.objects.get(slug=f"{prefix}-everyone"),
    }
    teams["ten"] = _team_of_ten(teams["team"], prefix=prefix)
    managers = {
        name: Membership.objects.select_related("user").get(team=team, role="manager").user
        for name, team in teams.items()
    }
    learners = list(
        User.objects.filter(username__startswith=f"{prefix}-learner-")
        .annotate(done=Count("lesson_completions"))
        .order_by("-done", "username")
    )
    if not learners:
        raise SystemExit("No cohort learners: run make_load_data --everyone first.")
    learner, others = learners[0], learners[1 : POOL_LEARNERS + 1]
    visitors = list(
        User.objects.filter(memberships__team=teams["team"], memberships__role="member")
        .exclude(pk__in=[person.pk for person in [learner, *others]])
        .order_by("username")[:VISITORS]
    )

    quizzes = list(
        Quiz.objects.filter(is_published=True, course__is_published=True)
        .select_related("course")
        .prefetch_related("questions__choices")
        .order_by("course__order", "order", "pk")
    )
    with transaction.atomic():
        keys = _session_rows([learner, *managers.values(), *visitors, *others], engine)
        # One open attempt per learner and quiz (the most the one-open-attempt rule allows).
        Attempt.objects.filter(user__in=others, submitted_at__isnull=True).delete()
        Attempt.objects.bulk_create(
            [
                Attempt(user=person, quiz=quiz,
                        question_order=[q.pk for q in quiz.questions.all()])
                for person in others
                for quiz in quizzes  # interleaved, so part of the pool covers every quiz
            ],
            batch_size=1000,
        )
    open_attempts = Attempt.objects.filter(user__in=others, submitted_at__isnull=True)
    by_quiz = {quiz.pk: quiz for quiz in quizzes}
    pool = []
    for attempt in open_attempts.order_by("pk"):
        quiz = by_quiz[attempt.quiz_id]
        pool.append({
            "path": f"/quizzes/{quiz.slug}/",
            "session": keys[attempt.user_id],
            "body": _answer_body(attempt, list(quiz.questions.all())),
        })

    matrix = DecisionMatrix.objects.filter(is_published=True).order_by("pk").first()
    embedding = (
        Lesson.objects.filter(status="published", course__is_published=True,
                              body__contains=f"[[matrix:{matrix.slug}]]")
        .select_related("course").order_by("course__order", "order").first()
    )
    plain = (
        Lesson.objects.filter(status="published", course__is_published=True)
        .filter(~Q(body__contains="[[matrix:"))
        .select_related("course").order_by("course__order", "order").first()
    )
    published = (
        Lesson.objects.filter(status="published", course__is_published=True)
        .select_related("course").order_by("course__order", "order")
    )
    lessons = [f"/courses/{lesson.course.slug}/{lesson.slug}/" for lesson in published]
    followed = set(teams["team"].courses.values_list("slug", flat=True))
    # The background activity: each visitor opens lessons of the team's courses they have
    # started, as a team's members do on a working day (a first view in a course enrols, which
    # moves the team's figures at once: rare in a day, it would make every request cold here).
    started = {}
    for user_id, course in Enrollment.objects.filter(
        user__in=visitors, course__slug__in=followed
    ).values_list("user_id", "course__slug"):
        started.setdefault(user_id, set()).add(course)
    member = (
        Membership.objects.filter(team=teams["team"], role="member")
        .annotate(done=Count("user__lesson_completions"))
        .order_by("-done", "user__username").first()  # a member with much to show
    )
    quiz = quizzes[0]
    learner_attempt = Attempt.objects.filter(user=learner, quiz=quiz).exists()
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_secret": get_random_string(32),
        "learner": {"username": learner.username, "session": keys[learner.pk],
                    "lessons_completed": learner.done, "has_attempts": learner_attempt},
        "teams": {
            name: {"slug": team.slug, "members": team.memberships.filter(role="member").count(),
                   "manager": managers[name].username, "session": keys[managers[name].pk]}
            for name, team in teams.items()
        },
        "visitors": [keys[person.pk] for person in visitors],
        "lessons": lessons,
        "activity_views": [
            {"session": keys[person.pk],
             "lessons": [path for path in lessons if path.split("/")[2] in started[person.pk]]}
            for person in visitors if person.pk in started
        ],  # fmt: skip
        "pool_sessions": [keys[person.pk] for person in others],
        "member": member.pk,
        "course": plain.course.slug,
        "lesson": {"course": plain.course.slug, "slug": plain.slug},
        "matrix_lesson": {"course": embedding.course.slug, "slug": embedding.slug}
        if embedding else None,
        "quiz": quiz.slug,
        "matrix": {"slug": matrix.slug,
                   "column": matrix.columns.filter(is_default=False).order_by("order").first().key},
        "submissions": pool,
    }


def _team_of_ten(team, *, prefix: str):
    """A team of ``team``'s first ten members (by username), with the same courses and due
    dates and a manager of its own: the small end of the query-count comparison."""
    from django.contrib.auth import get_user_model

    from accounts.models import Assignment, Membership, Team

    small, _ = Team.objects.update_or_create(
        slug=f"{prefix}-ten", defaults={"name": "Load team of ten", "invite_code": f"{prefix}-ten-invite"}
    )
    small.memberships.all().delete()
    small.assignments.all().delete()
    Assignment.objects.bulk_create(
        Assignment(team=small, course_id=a.course_id, assigned_at=a.assigned_at, due_on=a.due_on)
        for a in team.assignments.all()
    )
    manager, _ = get_user_model().objects.get_or_create(
        username=f"{prefix}-manager-ten", defaults={"email": f"{prefix}-manager-ten@example.com"}
    )
    members = team.memberships.filter(role="member").order_by("user__username")[:10]
    Membership.objects.bulk_create(
        [Membership(team=small, user=manager, role="manager")]
        + [Membership(team=small, user_id=m.user_id, role="member") for m in members]
    )
    return small


def main() -> int:
    _setup()
    json.dump(build(os.environ.get("BENCH_PREFIX", "load")), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
