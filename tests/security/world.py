"""A small, complete site for the security tests: every kind of object a URL can name.

``build_world()`` loads the shipped course material (three published tracks, their lessons and
quizzes, the published base-strength matrix, whose widget a lesson embeds) and adds what the
authorization matrix needs on top: the seven roles (roles.py), a draft lesson, a draft course,
an unpublished quiz and a draft matrix, a practice block in the draft course, team A (following the clinical track) and team B, one
submitted attempt by the learner and one by member A, a submission of predictions by each of
them, an enrollment and completion, the learner's answer to the shipped inline check, one
row of each django-axes model, a reminder mailed to the learner with their mail preferences,
and a background task's row.

The ``world`` fixture builds it once per test module inside a transaction that is rolled back
when the module ends (pytest-django's ``db`` fixture then wraps each test in a savepoint, so
whatever one test writes is gone before the next). Tests that use it take ``world`` and ``db``.
"""

import datetime
import io
import uuid
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Membership, Team
from certificates.models import Certificate
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion, Objective
from lessons.services import complete_lesson
from matrix.models import AdvisorPreset, DecisionMatrix, MatrixPrediction, Winner
from notifications import tasks
from notifications.models import Mail, MailPreference
from notifications.rendering import compose
from practice.models import Block, BlockAnswer
from quizzes.models import Attempt, Question, Quiz
from review.models import Card, ReviewLog, ReviewSettings
from tests.factories import (
    answer_ids,
    make_block,
    make_card,
    make_course,
    make_lesson,
    make_matrix,
    make_quiz,
    submit_attempt,
    submit_predictions,
    visit,
)

from .production import ROOT
from .roles import LEARNER, MANAGER_A, MEMBER_A, Roles, make_roles

COURSE = "clinical-documentation-ai"
OTHER_COURSE = "medical-imaging-ai"
EMBED_LESSON = "when-fine-tuning-pays"  # its body embeds [[matrix:base-strength]]
MATRIX = "base-strength"
QUIZ = "clinical-documentation-check"
CHECK = "synthesis-or-lookup"  # a shipped inline check (ai-diagnostics, lesson 1)


@dataclass(repr=False)
class World:
    roles: Roles
    course: Course  # published, followed by team A
    other_course: Course  # published, followed by team B
    draft_course: Course  # unpublished, with one published lesson
    lesson: Lesson  # published, embeds the matrix
    draft_lesson: Lesson  # a draft in the published course
    draft_course_lesson: Lesson
    quiz: Quiz  # published
    draft_quiz: Quiz  # unpublished, with one question
    matrix: DecisionMatrix  # published
    draft_matrix: DecisionMatrix
    preset: AdvisorPreset
    own_attempt: Attempt  # the learner's, submitted
    other_attempt: Attempt  # member A's, submitted
    own_submission: uuid.UUID  # the learner's predictions
    other_submission: uuid.UUID  # member A's predictions
    member_a_membership: Membership
    manager_a_membership: Membership
    enrollment: Enrollment
    completion: LessonCompletion
    question: Question
    check: Block  # shipped, in a published course
    draft_block: Block  # in the draft course
    block_answer: BlockAnswer  # the learner's
    objective: Objective  # of the draft lesson
    card: Card  # the learner's review card for the check, due
    other_card: Card  # member A's, due
    access_attempt: AccessAttempt
    access_log: AccessLog
    access_failure: AccessFailureLog
    mail: Mail  # a reminder to the learner, sent
    mail_preference: MailPreference  # the learner's
    task_result: DBTaskResult
    certificate: Certificate  # the learner's, valid
    revoked_certificate: Certificate  # member A's, revoked

    @property
    def users(self) -> dict:
        return self.roles.users

    @property
    def check_choice(self) -> int:
        """The right choice of the shipped check, as its form posts it."""
        return self.check.choices.get(is_correct=True).pk

    @property
    def draft_choice(self) -> int:
        return self.draft_block.choices.get(is_correct=True).pk

    @property
    def team_a(self) -> Team:
        return self.roles.team_a

    @property
    def team_b(self) -> Team:
        return self.roles.team_b

    def client(self, role, **defaults):
        return self.roles.client(role, **defaults)

    def admin_object(self, model):
        """The object whose admin pages the matrix visits for ``model``."""
        label = model._meta.label_lower
        objects = {
            "auth.group": Group.objects.get(name="Instructors"),
            "auth.user": self.users[LEARNER],
            "axes.accessattempt": self.access_attempt,
            "axes.accesslog": self.access_log,
            "axes.accessfailurelog": self.access_failure,
            "accounts.team": self.team_a,
            "accounts.membership": self.member_a_membership,
            "courses.course": self.course,
            "courses.enrollment": self.enrollment,
            "lessons.lesson": self.draft_lesson,
            "matrix.decisionmatrix": self.matrix,
            "matrix.advisorpreset": self.preset,
            "matrix.matrixprediction": MatrixPrediction.objects.filter(
                submission=self.own_submission
            ).first(),
            "quizzes.quiz": self.quiz,
            "quizzes.question": self.question,
            "quizzes.attempt": self.own_attempt,
            "practice.block": self.check,
            "practice.blockanswer": self.block_answer,
            "lessons.objective": self.objective,
            "progress.objectivecoverage": self.objective,
            "review.card": self.card,
            "review.reviewlog": ReviewLog.objects.get(card=self.card),
            "review.reviewsettings": ReviewSettings.objects.get(user=self.users[LEARNER]),
            "notifications.mail": self.mail,
            "notifications.mailpreference": self.mail_preference,
            "django_tasks_database.dbtaskresult": self.task_result,
            "certificates.certificate": self.certificate,
        }
        return objects[label]


def _review_card(user, block) -> Card:
    """A due card for ``user`` with one logged rating, and their review settings."""
    card = make_card(user=user, item=block, due=timezone.now() - datetime.timedelta(days=1))
    ReviewLog.objects.create(card=card, rating=3, is_correct=True, source="check",
                             reviewed_at=timezone.now())  # fmt: skip
    ReviewSettings.objects.get_or_create(user=user)
    return card


def _mail(user) -> Mail:
    mail = compose(user=user, kind="reminders", subject="A reminder", template="reminder",
                   context={"lines": []}, now=timezone.now())  # fmt: skip
    mail.status, mail.sent_at = Mail.Status.SENT, timezone.now()
    mail.save()
    return mail


def _task_result() -> DBTaskResult:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = tasks.deliver_pending.enqueue()
    return DBTaskResult.objects.get(pk=result.id)


def _certificate(user, course, *, index: int, revoked: bool = False) -> Certificate:
    """A certificate as rows (the learner has not completed the course in this world)."""
    return Certificate.objects.create(
        user=user, course=course, status_index=index, display_name="", course_title=course.title,
        course_slug=course.slug, completed_at=timezone.now(),
        revoked_at=timezone.now() if revoked else None, revocation_reason="Test." if revoked else "",
    )  # fmt: skip


def _submitted_attempt(user, quiz) -> Attempt:
    """All right, graded by the real service, at the time of building."""
    return submit_attempt(user=user, quiz=quiz, answers=answer_ids(quiz=quiz), days_ago=None)


def _draft_matrix() -> DecisionMatrix:
    cells = make_matrix(
        slug="draft-matrix", title="A draft matrix", rows=[("format", "Output format")],
        columns=[("weak", "Weak"), ("strong", "Strong")],
        winners=[Winner.FINE_TUNE, Winner.GENERALIST], verdict="Draft verdict", published=False,
    )  # fmt: skip
    return cells[0].row.matrix


def build_world() -> World:
    call_command("load_content", str(ROOT / "content"), verbosity=0, stdout=io.StringIO())
    roles = make_roles()
    users = roles.users
    course = Course.objects.get(slug=COURSE)
    other_course = Course.objects.get(slug=OTHER_COURSE)
    roles.team_a.courses.add(course)
    roles.team_b.courses.add(other_course)

    draft_course = make_course(
        slug="draft-track", title="A draft track", summary="Not yet.", order=9, published=False
    )
    draft_course_lesson = make_lesson(
        course=draft_course, slug="first", title="First", order=0, body="Draft track lesson."
    )
    draft_lesson = make_lesson(
        course=course, slug="draft-notes", title="Draft notes", order=99, body="Not yet.",
        status=Lesson.Status.DRAFT,
    )  # fmt: skip
    draft_quiz = make_quiz(
        course=course, slug="draft-quiz", title="A draft quiz", questions=1, published=False
    )
    question = draft_quiz.questions.get()

    quiz = Quiz.objects.get(slug=QUIZ)
    matrix = DecisionMatrix.objects.get(slug=MATRIX)
    lesson = Lesson.objects.select_related("course").get(course=course, slug=EMBED_LESSON)

    completion, _ = complete_lesson(user=users[LEARNER], lesson=lesson)
    visit(user=users[LEARNER], lesson=lesson)
    complete_lesson(user=users[MEMBER_A], lesson=lesson)
    check = Block.objects.get(slug=CHECK)
    block_answer = BlockAnswer.objects.create(
        user=users[LEARNER], block=check, is_correct=True, is_first=True, token=uuid.uuid4()
    )
    block_answer.choices.set(check.choices.filter(is_correct=True))

    return World(
        roles=roles,
        course=course,
        other_course=other_course,
        draft_course=draft_course,
        lesson=lesson,
        draft_lesson=draft_lesson,
        objective=Objective.objects.create(lesson=draft_lesson, key="draft-objective", text="Draft objective"),
        draft_course_lesson=draft_course_lesson,
        quiz=quiz,
        draft_quiz=draft_quiz,
        matrix=matrix,
        draft_matrix=_draft_matrix(),
        preset=matrix.presets.order_by("order").first(),
        own_attempt=_submitted_attempt(users[LEARNER], quiz),
        other_attempt=_submitted_attempt(users[MEMBER_A], quiz),
        own_submission=submit_predictions(user=users[LEARNER], matrix=matrix),
        other_submission=submit_predictions(user=users[MEMBER_A], matrix=matrix),
        member_a_membership=Membership.objects.get(team=roles.team_a, user=users[MEMBER_A]),
        manager_a_membership=Membership.objects.get(team=roles.team_a, user=users[MANAGER_A]),
        enrollment=Enrollment.objects.get(user=users[LEARNER], course=course),
        completion=completion,
        question=question,
        check=check,
        draft_block=make_block(course=draft_course, slug="draft-check"),
        block_answer=block_answer,
        card=_review_card(users[LEARNER], check),
        other_card=_review_card(users[MEMBER_A], check),
        access_attempt=AccessAttempt.objects.create(
            username="someone", ip_address="192.0.2.1", user_agent="test", failures_since_start=1
        ),
        access_log=AccessLog.objects.create(
            username="someone", ip_address="192.0.2.1", user_agent="test"
        ),
        access_failure=AccessFailureLog.objects.create(
            username="someone", ip_address="192.0.2.1", user_agent="test"
        ),
        mail=_mail(users[LEARNER]),
        mail_preference=MailPreference.objects.create(user=users[LEARNER], digest=False),
        task_result=_task_result(),
        certificate=_certificate(users[LEARNER], course, index=1),
        revoked_certificate=_certificate(users[MEMBER_A], other_course, index=2, revoked=True),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after its last test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # Marked as Django's TestCase marks its class-wide transaction, so code under test
        # may still open durable atomic blocks inside it.
        atomic._from_testcase = True
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            built = build_world()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
