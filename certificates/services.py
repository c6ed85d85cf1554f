"""Writes of certificates: issuing one when a course is complete, revoking and reinstating.

``issue_if_complete`` is idempotent and safe to race: the unique (user, course) constraint
lets one insert win, and every other caller reads that row. Whether a course is complete is
decided by ``courses.completion`` through ``lessons.selectors.course_progress``, nowhere else.

When: ``issue_recent`` runs every minute in the background (``tasks.py``) for the learners who
completed a lesson or passed a quiz lately, and ``issue_missing`` (``manage.py
issue_certificates``, and nightly) for everyone, including completions from before
certificates existed. Not in the request that completes the course: marking a lesson complete
and submitting a quiz are at their query ceilings (``benchmarks/budgets.py``), and checking
completion and issuing would add up to eight queries to each (a signal receiver on the commit
was tried and measured). A certificate therefore appears on /progress/ within a minute.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.names import chosen_name, display_name
from courses.models import Course
from lessons.models import Lesson, LessonCompletion
from lessons.selectors import course_progress
from quizzes.models import Attempt, Quiz

from .models import Certificate, CertificateEvent

# A new code or status bit that collides with one already issued is drawn again; with
# 128-bit codes and a list of 131072 bits this many draws fail only when the list is nearly full.
MAX_DRAWS = 20


class ReasonRequired(ValueError):
    """Revoking or reinstating needs a reason, for the audit."""


def issue_if_complete(*, user, course: Course) -> Certificate | None:
    """The learner's certificate for ``course``: the one they hold, else a new one if the
    course is now complete, else None."""
    held = Certificate.objects.filter(user=user, course=course).first()
    if held is not None:
        return held
    if not course_progress(user=user, course=course).standing.complete:
        return None
    snapshot = _snapshot(user=user, course=course)
    for _ in range(MAX_DRAWS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    user=user,
                    course=course,
                    status_index=secrets.randbelow(Certificate.STATUS_LIST_BITS),
                    **snapshot,
                )
        except IntegrityError:
            # A concurrent completion issued it first, or the code or bit was taken.
            held = Certificate.objects.filter(user=user, course=course).first()
            if held is not None:
                return held
    raise RuntimeError("No free status list bit found: the revocation list is nearly full.")


def _snapshot(*, user, course: Course) -> dict:
    """What the certificate keeps of the course and the learner as they are now."""
    lessons = list(
        Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED)
        .annotate(
            completed_at=Subquery(
                LessonCompletion.objects.filter(user=user, lesson=OuterRef("pk")).values(
                    "completed_at"
                )[:1]
            )
        )
        .order_by("order", "pk")
        .values("slug", "title", "completed_at")
    )
    passes = Q(attempts__user=user, attempts__passed=True, attempts__submitted_at__isnull=False)
    quizzes = list(
        Quiz.objects.filter(course=course, is_published=True)
        .annotate(
            passed_at=Min("attempts__submitted_at", filter=passes),
            best=Max("attempts__percent", filter=passes),
        )
        .order_by("order", "pk")
        .values("slug", "title", "passed_at", "best")
    )
    moments = [row["completed_at"] for row in lessons] + [row["passed_at"] for row in quizzes]
    return {
        "display_name": chosen_name(user),
        "course_title": course.title,
        "course_slug": course.slug,
        "completed_at": max((m for m in moments if m is not None), default=timezone.now()),
        "record": {
            "lessons": [{"slug": row["slug"], "title": row["title"]} for row in lessons],
            "quizzes": [
                {"slug": row["slug"], "title": row["title"], "percent": row["best"]}
                for row in quizzes
            ],
        },
    }


def _issue_for(candidates: set[tuple[int, int]]) -> int:
    """Issue what ``candidates`` (user id, course id) have earned and do not hold; how many."""
    candidates -= set(
        Certificate.objects.filter(
            user_id__in={u for u, _ in candidates}, course_id__in={c for _, c in candidates}
        ).values_list("user_id", "course_id")
    )
    users = get_user_model().objects.select_related("profile").in_bulk({u for u, _ in candidates})
    courses = Course.objects.in_bulk({c for _, c in candidates})
    issued = 0
    for user_id, course_id in sorted(candidates):
        if issue_if_complete(user=users[user_id], course=courses[course_id]) is not None:
            issued += 1
    return issued


def _progress_since(since: datetime.datetime | None) -> set[tuple[int, int]]:
    """(user id, course id) of every published lesson completed and quiz passed since ``since``
    (ever, when None): whoever may have completed a course."""
    completions = LessonCompletion.objects.filter(lesson__status=Lesson.Status.PUBLISHED)
    passes = Attempt.objects.filter(passed=True, submitted_at__isnull=False)
    if since is not None:
        completions = completions.filter(completed_at__gte=since)
        passes = passes.filter(submitted_at__gte=since)
    return set(completions.values_list("user_id", "lesson__course_id").distinct()) | set(
        passes.values_list("user_id", "quiz__course_id").distinct()
    )


def issue_recent(*, since: datetime.datetime) -> int:
    """Issue the certificates earned by lessons completed or quizzes passed since ``since``."""
    return _issue_for(_progress_since(since))


def issue_missing() -> int:
    """Issue every certificate already earned but not held (completions from before
    certificates existed, or a missed run); return how many were issued."""
    return _issue_for(_progress_since(None))


def _audited(*, certificate: Certificate, by, reason: str, action: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired("Give a reason: it is kept with the certificate's history.")
    CertificateEvent.objects.create(
        certificate=certificate, action=action, by=by, by_name=display_name(by), reason=reason
    )


def revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke ``certificate`` (its page says so and its credential's status bit is set),
    recording who, when and why. Revoking a revoked certificate changes nothing."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            return locked
        _audited(certificate=locked, by=by, reason=reason, action=CertificateEvent.Action.REVOKED)
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason.strip()
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    return locked


def reinstate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Undo a revocation made in error, recorded like one; a valid certificate is unchanged."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.is_revoked:
            return locked
        _audited(
            certificate=locked, by=by, reason=reason, action=CertificateEvent.Action.REINSTATED
        )
        locked.revoked_at = None
        locked.revoked_by = None
        locked.revocation_reason = ""
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    return locked
