"""Issuing, revoking and reinstating certificates (certificates/services.py)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent
from certificates.services import (
    ReasonRequired,
    issue_if_complete,
    issue_missing,
    issue_recent,
    reinstate,
    revoke,
)
from certificates.tasks import RECENT, issue_missing_certificates, issue_recent_certificates
from lessons.models import Lesson
from lessons.services import complete_lesson
from tests.factories import complete_lessons, make_course, submit_attempt

from .conftest import NAME

pytestmark = pytest.mark.django_db


def test_completing_the_last_lesson_and_passing_the_quiz_issues_one_certificate(
    holder, course, complete
):
    complete(holder, course)
    certificate = Certificate.objects.get()
    assert certificate.user == holder and certificate.course == course
    assert certificate.display_name == NAME
    assert certificate.course_title == "Clinical documentation AI"
    assert certificate.course_slug == "clinical-notes"
    assert [lesson["title"] for lesson in certificate.record["lessons"]] == [
        "Clinical documentation AI lesson 1",
        "Clinical documentation AI lesson 2",
    ]
    assert certificate.record["quizzes"] == [
        {"slug": "notes-quiz", "title": "Notes quiz", "percent": 100}
    ]
    assert not certificate.is_revoked


def test_the_code_carries_128_random_bits_and_the_status_bit_is_in_the_list(certificate):
    assert len(certificate.code) == 22  # token_urlsafe(16): 16 random bytes
    assert 0 <= certificate.status_index < Certificate.STATUS_LIST_BITS


def test_reading_every_lesson_without_passing_the_quiz_issues_nothing(holder, course):
    for lesson in course.lessons.all():
        complete_lesson(user=holder, lesson=lesson)
    submit_attempt(user=holder, quiz=course.quizzes.get(), picks=["wrong A", "wrong A"])
    assert issue_recent(since=timezone.now() - RECENT) == 0
    assert not Certificate.objects.exists()


def test_the_quiz_pass_that_completes_the_course_issues_it_at_the_next_run(holder, course):
    for lesson in course.lessons.all():
        complete_lesson(user=holder, lesson=lesson)
    assert issue_recent(since=timezone.now() - RECENT) == 0
    submit_attempt(user=holder, quiz=course.quizzes.get(), picks=["right", "right"])
    assert issue_recent(since=timezone.now() - RECENT) == 1
    assert Certificate.objects.filter(user=holder).count() == 1
    assert issue_recent(since=timezone.now() - RECENT) == 0


def test_the_scheduled_run_looks_only_at_recent_progress(holder, course, complete):
    complete(holder, course, issue=False)
    assert issue_recent(since=timezone.now() + datetime.timedelta(seconds=1)) == 0
    assert issue_recent_certificates.call() == 1  # the task the scheduler runs every minute
    assert issue_missing_certificates.call() == 0


def test_issuing_again_returns_the_same_certificate(certificate, holder, course):
    assert issue_if_complete(user=holder, course=course) == certificate
    assert Certificate.objects.count() == 1


def test_a_learner_without_a_chosen_name_gets_no_name_never_the_username(
    make_user, course, complete
):
    user = make_user("private-username")
    complete(user, course)
    certificate = user.certificates.get()
    assert certificate.display_name == ""
    assert "private-username" not in str(certificate.__dict__)


def test_a_certificate_survives_later_content_edits(certificate, course):
    course.title = "Renamed course"
    course.save()
    Lesson.objects.filter(course=course).update(title="Edited")
    course.lessons.create(slug="new", title="New lesson", body="x", status="published", order=9)
    certificate.refresh_from_db()
    assert certificate.course_title == "Clinical documentation AI"
    assert certificate.record["lessons"][0]["title"] == "Clinical documentation AI lesson 1"
    assert Certificate.objects.count() == 1


def test_revoking_records_who_when_and_why(certificate, make_user):
    admin = make_user("registrar", is_staff=True)
    revoke(certificate=certificate, by=admin, reason="  Completed on a shared account.  ")
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == admin
    assert certificate.revocation_reason == "Completed on a shared account."
    event = CertificateEvent.objects.get()
    assert (event.action, event.by, event.by_name, event.reason) == (
        "revoked", admin, "registrar", "Completed on a shared account.",
    )  # fmt: skip
    assert event.at == certificate.revoked_at or abs(event.at - certificate.revoked_at).seconds < 1


def test_revoking_needs_a_reason(certificate, make_user):
    with pytest.raises(ReasonRequired):
        revoke(certificate=certificate, by=make_user("registrar"), reason="   ")
    certificate.refresh_from_db()
    assert not certificate.is_revoked and not CertificateEvent.objects.exists()


def test_revoking_twice_records_once_and_reinstating_is_audited_too(certificate, make_user):
    admin = make_user("registrar")
    revoke(certificate=certificate, by=admin, reason="Mistaken identity.")
    revoke(certificate=certificate, by=admin, reason="Again.")
    reinstate(certificate=certificate, by=admin, reason="Identity confirmed.")
    certificate.refresh_from_db()
    assert not certificate.is_revoked and certificate.revocation_reason == ""
    assert list(CertificateEvent.objects.order_by("pk").values_list("action", "reason")) == [
        ("revoked", "Mistaken identity."),
        ("reinstated", "Identity confirmed."),
    ]


def test_the_command_issues_certificates_earned_before_the_feature(make_user, capsys):
    course = make_course(lessons=2)
    earlier, partial = make_user("earlier"), make_user("partial")
    complete_lessons(user=earlier, lessons=course.lessons.all())  # rows only: no signal
    complete_lessons(user=partial, lessons=course.lessons.all()[:1])
    assert not Certificate.objects.exists()
    call_command("issue_certificates")
    assert capsys.readouterr().out.strip() == "Issued 1 certificate."
    assert list(Certificate.objects.values_list("user__username", flat=True)) == ["earlier"]
    assert issue_missing() == 0
