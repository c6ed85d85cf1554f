"""The authorization matrix: every URL pattern, filled with real objects, for each of the seven roles.

``test_every_url_pattern_answers_each_role_as_expected`` is parametrised over the URL resolver
itself (urlmap.py), so a URL added to the project without a row in the tables below fails
with a message naming it. Each row requests a URL (filled from world.py: published and draft
lessons, a published and an unpublished quiz, teams A and B, an attempt owned by the learner
and one owned by member A, an invite code, ...) as every role, and compares the status.

How to read the tables: one column per role, in the order of roles.ROLES,

    anonymous  learner  member of A  manager of B  manager of A  instructor  superuser

and in each cell the status that role must get. Numbers are HTTP statuses (405: wrong method);
``LOG`` is a redirect to the log-in page and ``ADM`` to the admin's log-in page (both with a
``?next=`` back to a page of this site), ``MOV`` any other redirect. Rows marked POST send the
given form data (no CSRF checks here: test_csrf.py covers those). Admin pages of the models are
generated from ADMIN_MODELS, which says per model what the instructor and the superuser get.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.tokens import make_token

from . import snapshot
from .get_effects import by_design, resolved_key
from .roles import LEARNER, MEMBER_A, ROLES
from .urlmap import url_patterns
from .world import World

pytestmark = pytest.mark.django_db

LOG = "302 to log in"
ADM = "302 to the admin's log in"
MOV = "a redirect elsewhere"

ROW_KEYS = ("domain-coverage", "output-format", "regulatory-audit", "reasoning-breadth")
PREDICTIONS = {"column": "strong", **{f"row-{key}": "Generalist wins" for key in ROW_KEYS}}
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Case:
    """One row: a URL (a template filled from the world, or a function of it) and statuses."""

    route: str  # the URL pattern's name, or its route when it has no name
    path: object  # "/courses/{w.course.slug}/", or a callable(world) -> str
    expected: tuple
    method: str = "GET"
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    note: str = ""

    def url(self, world: World) -> str:
        return self.path(world) if callable(self.path) else self.path.format(w=world)

    def form(self, world: World) -> dict:
        return {key.format(w=world): value.format(w=world) for key, value in self.data.items()}


def GET(route, path, expected, **kwargs):
    return Case(route, path, expected, "GET", **kwargs)


def POST(route, path, expected, **kwargs):
    return Case(route, path, expected, "POST", **kwargs)


def password_reset_link(world: World) -> str:
    # Fresh from the database: the token depends on last_login, which logging in changes.
    user = type(world.users[LEARNER]).objects.get(pk=world.users[LEARNER].pk)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


def view_on_site(world: World) -> str:
    content_type = ContentType.objects.get_for_model(world.lesson)
    return f"/admin/r/{content_type.pk}/{world.lesson.pk}/"


def lesson_revision(world: World) -> str:
    record = world.draft_lesson.history.first()
    return f"/admin/lessons/lesson/{world.draft_lesson.pk}/history/{record.history_id}/"


def block_revision(world: World) -> str:
    record = world.check.history.first()
    return f"/admin/practice/block/{world.check.pk}/history/{record.history_id}/"


TOKEN = "6f1c2a8e-3b7d-4e5f-9a0b-1c2d3e4f5a6b"
ANSWER = {"choice": "{w.check_choice}", "token": TOKEN, "next": "/courses/ai-diagnostics/"}
DRAFT_ANSWER = {"choice": "{w.draft_choice}", "token": TOKEN}
REVIEW = {"choice": "{w.check_choice}", "confidence": "sure"}
LESSON = "/courses/{w.course.slug}/{w.lesson.slug}/"
DRAFT_LESSON = "/courses/{w.course.slug}/{w.draft_lesson.slug}/"
DRAFT_COURSE_LESSON = "/courses/{w.draft_course.slug}/{w.draft_course_lesson.slug}/"
QUIZ = "/quizzes/{w.quiz.slug}/"
DRAFT_QUIZ = "/quizzes/{w.draft_quiz.slug}/"
MATRIX = "/matrix/{w.matrix.slug}/"
DRAFT_MATRIX = "/matrix/{w.draft_matrix.slug}/"
DUE_LATER = {"course-{w.course.pk}-due_on": "2099-01-01"}
DUE_IN_THE_PAST = {"course-{w.course.pk}-due_on": "2000-01-01"}
TEAM_A = "/teams/{w.team_a.slug}/"
TEAM_B = "/teams/{w.team_b.slug}/"
REMOVE_MEMBER_A = TEAM_A + "members/{w.member_a_membership.pk}/remove/"
NUDGE_MEMBER_A = TEAM_A + "members/{w.member_a_membership.pk}/nudge/"
MEMBER_A_PAGE = TEAM_A + "members/{w.member_a_membership.pk}/"
CERT = "/certificates/{w.certificate.code}/"
REVOKED_CERT = "/certificates/{w.revoked_certificate.code}/"
NO_CERT = "/certificates/AAAAAAAAAAAAAAAAAAAAAA/"


def unsubscribe_link(world: World) -> str:
    """The learner's one-click link for reminders, as their mails carry it."""
    token = make_token(user_id=world.users[LEARNER].pk, kind="reminders")
    return reverse("notifications:unsubscribe", kwargs={"token": token})


# fmt: off
PAGES = [
    #                                                                            anon learner mem_A mgr_B mgr_A instr super
    # The catalog and course overviews are public; a draft course only for staff (a preview).
    GET("courses:catalog", "/",                                                 (200, 200,  200,  200,  200,  200,  200)),
    POST("courses:catalog", "/",                                                (405, 405,  405,  405,  405,  405,  405)),
    GET("courses:overview", "/courses/{w.course.slug}/",                        (200, 200,  200,  200,  200,  200,  200)),
    GET("courses:overview", "/courses/{w.draft_course.slug}/",                  (404, 404,  404,  404,  404,  200,  200), note="draft course"),
    GET("courses:overview", "/courses/no-such-course/",                         (404, 404,  404,  404,  404,  404,  404)),
    POST("courses:overview", "/courses/{w.course.slug}/",                       (405, 405,  405,  405,  405,  405,  405)),

    # Lessons: published ones for everyone (this one embeds the matrix); drafts, and lessons
    # of a draft course, only for staff as a preview.
    GET("lessons:detail", LESSON,                                               (200, 200,  200,  200,  200,  200,  200)),
    GET("lessons:detail", LESSON + "?base=strong",                              (200, 200,  200,  200,  200,  200,  200)),
    GET("lessons:detail", DRAFT_LESSON,                                         (404, 404,  404,  404,  404,  200,  200), note="draft"),
    GET("lessons:detail", DRAFT_COURSE_LESSON,                                  (404, 404,  404,  404,  404,  200,  200), note="draft course"),
    GET("lessons:detail", "/courses/{w.course.slug}/no-such-lesson/",           (404, 404,  404,  404,  404,  404,  404)),
    POST("lessons:detail", LESSON,                                              (405, 405,  405,  405,  405,  405,  405)),
    GET("lessons:complete", LESSON + "complete/",                               (405, 405,  405,  405,  405,  405,  405)),
    POST("lessons:complete", LESSON + "complete/",                              (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    POST("lessons:complete", DRAFT_LESSON + "complete/",                        (404, 404,  404,  404,  404,  404,  404), note="drafts cannot be completed"),

    # Quizzes: taking one needs an account; an unpublished quiz sends staff to its preview.
    GET("quizzes:take", QUIZ,                                                   (LOG, 200,  200,  200,  200,  200,  200)),
    GET("quizzes:take", DRAFT_QUIZ,                                             (LOG, 404,  404,  404,  404,  MOV,  MOV), note="unpublished"),
    POST("quizzes:take", QUIZ,                                                  (LOG, MOV,  400,  400,  400,  400,  400),
         data={"attempt": "{w.own_attempt.pk}"}, note="the learner's attempt: others are refused"),
    POST("quizzes:take", DRAFT_QUIZ,                                            (LOG, 404,  404,  404,  404,  MOV,  MOV)),
    GET("quizzes:answer", QUIZ + "answer/",                                     (LOG, 405,  405,  405,  405,  405,  405)),
    POST("quizzes:answer", QUIZ + "answer/",                                    (LOG, MOV,  400,  400,  400,  400,  400),
         data={"attempt": "{w.own_attempt.pk}"}, note="a practice step: the learner's attempt only"),
    POST("quizzes:answer", DRAFT_QUIZ + "answer/",                              (LOG, 404,  404,  404,  404,  404,  404)),
    GET("quizzes:preview", QUIZ + "preview/",                                   (LOG, 404,  404,  404,  404,  200,  200)),
    GET("quizzes:preview", DRAFT_QUIZ + "preview/",                             (LOG, 404,  404,  404,  404,  200,  200)),
    POST("quizzes:preview", DRAFT_QUIZ + "preview/",                            (LOG, 404,  404,  404,  404,  200,  200), note="graded, not saved"),
    # Attempts are seen only by the learner who made them: not by managers, not by staff.
    GET("quizzes:attempt", QUIZ + "attempts/{w.own_attempt.pk}/",               (LOG, 200,  404,  404,  404,  404,  404), note="the learner's"),
    GET("quizzes:attempt", QUIZ + "attempts/{w.other_attempt.pk}/",             (LOG, 404,  200,  404,  404,  404,  404), note="member A's"),
    GET("quizzes:attempt", QUIZ + "attempts/{w.own_attempt.pk}/",               (LOG, 200,  404,  404,  404,  404,  404), headers=HTMX),
    GET("quizzes:attempt", DRAFT_QUIZ + "attempts/{w.own_attempt.pk}/",         (LOG, 404,  404,  404,  404,  404,  404), note="wrong quiz"),
    POST("quizzes:attempt", QUIZ + "attempts/{w.own_attempt.pk}/",              (LOG, 405,  405,  405,  405,  405,  405)),

    # The matrix: published for everyone, with every view of it; a draft for staff only.
    GET("matrix:detail", MATRIX,                                                (200, 200,  200,  200,  200,  200,  200)),
    GET("matrix:detail", MATRIX + "?base=strong",                               (200, 200,  200,  200,  200,  200,  200)),
    GET("matrix:detail", MATRIX + "?view=compare",                              (200, 200,  200,  200,  200,  200,  200)),
    GET("matrix:detail", MATRIX + "?view=predict",                              (200, 200,  200,  200,  200,  200,  200)),
    GET("matrix:detail", MATRIX + "?reveal={w.other_submission}",               (200, 200,  200,  200,  200,  200,  200), note="another's predictions: not shown (test below)"),
    GET("matrix:detail", MATRIX + "?base=strong",                               (200, 200,  200,  200,  200,  200,  200), headers=HTMX),
    GET("matrix:detail", DRAFT_MATRIX,                                          (404, 404,  404,  404,  404,  200,  200), note="draft"),
    POST("matrix:detail", MATRIX,                                               (405, 405,  405,  405,  405,  405,  405)),
    GET("matrix:advisor", MATRIX + "advisor/?preset={w.preset.key}",            (MOV, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), note="htmx only"),
    GET("matrix:advisor", MATRIX + "advisor/?preset={w.preset.key}",            (200, 200,  200,  200,  200,  200,  200), headers=HTMX),
    GET("matrix:advisor", DRAFT_MATRIX + "advisor/",                            (404, 404,  404,  404,  404, 200,  200), headers=HTMX),
    POST("matrix:advisor", MATRIX + "advisor/",                                 (405, 405,  405,  405,  405,  405,  405)),
    GET("matrix:predict", MATRIX + "predict/",                                  (405, 405,  405,  405,  405,  405,  405)),
    POST("matrix:predict", MATRIX + "predict/",                                 (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), data=PREDICTIONS),
    POST("matrix:predict", DRAFT_MATRIX + "predict/",                           (404, 404,  404,  404,  404,  MOV,  MOV),
         data={"column": "strong", "row-format": "Draft verdict"}),

    # Practice blocks (inline checks, predictions): anyone may answer; a learner's answer is
    # stored and they go back to the lesson (303), a visitor gets the feedback on a page; a
    # draft course's blocks only for staff, as an unsaved preview. A fresh form is public.
    GET("practice:block", "/practice/{w.check.slug}/",                          (200, 200,  200,  200,  200,  200,  200)),
    GET("practice:block", "/practice/{w.check.slug}/",                          (200, 200,  200,  200,  200,  200,  200), headers=HTMX),
    GET("practice:block", "/practice/{w.draft_block.slug}/",                    (404, 404,  404,  404,  404,  200,  200), note="draft course"),
    GET("practice:block", "/practice/no-such-block/",                           (404, 404,  404,  404,  404,  404,  404)),
    POST("practice:block", "/practice/{w.check.slug}/",                         (405, 405,  405,  405,  405,  405,  405)),
    GET("practice:answer", "/practice/{w.check.slug}/answer/",                  (405, 405,  405,  405,  405,  405,  405)),
    POST("practice:answer", "/practice/{w.check.slug}/answer/",                 (200, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), data=ANSWER),
    POST("practice:answer", "/practice/{w.check.slug}/answer/",                 (200, 200,  200,  200,  200,  200,  200), data=ANSWER, headers=HTMX),
    POST("practice:answer", "/practice/{w.check.slug}/answer/",                 (400, 400,  400,  400,  400,  400,  400), data={"token": TOKEN}, note="no answer"),
    POST("practice:answer", "/practice/{w.check.slug}/answer/",                 (400, 400,  400,  400,  400,  400,  400),
         data={"choice": "{w.draft_choice}", "token": TOKEN}, note="another block's choice"),
    POST("practice:answer", "/practice/{w.draft_block.slug}/answer/",           (404, 404,  404,  404,  404,  200,  200), data=DRAFT_ANSWER, note="previewed, not saved"),
    POST("practice:answer", "/practice/no-such-block/answer/",                  (404, 404,  404,  404,  404,  404,  404), data=ANSWER),
    # The review queue is each learner's own: another's card is not found (404), never shown.
    GET("review:queue", "/review/",                                             (LOG, 200,  200,  200,  200,  200,  200)),
    POST("review:queue", "/review/",                                            (LOG, 405,  405,  405,  405,  405,  405)),
    GET("review:answer", "/review/cards/{w.card.pk}/answer/",                   (LOG, 405,  405,  405,  405,  405,  405)),
    POST("review:answer", "/review/cards/{w.card.pk}/answer/",                  (LOG, MOV,  404,  404,  404,  404,  404), data=REVIEW),
    POST("review:answer", "/review/cards/{w.card.pk}/answer/",                  (LOG, 200,  404,  404,  404,  404,  404), data=REVIEW, headers=HTMX),
    POST("review:answer", "/review/cards/{w.other_card.pk}/answer/",            (LOG, 404,  MOV,  404,  404,  404,  404), data=REVIEW, note="member A's card"),
    POST("review:answer", "/review/cards/{w.card.pk}/answer/",                  (LOG, 400,  404,  404,  404,  404,  404), data={"choice": "0"}, note="a forged choice"),
    GET("review:snooze", "/review/cards/{w.card.pk}/snooze/",                   (LOG, 405,  405,  405,  405,  405,  405)),
    POST("review:snooze", "/review/cards/{w.card.pk}/snooze/",                  (LOG, MOV,  404,  404,  404,  404,  404)),
    GET("review:snooze_all", "/review/snooze/",                                 (LOG, 405,  405,  405,  405,  405,  405)),
    POST("review:snooze_all", "/review/snooze/",                                (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    GET("review:settings", "/review/settings/",                                 (LOG, 405,  405,  405,  405,  405,  405)),
    POST("review:settings", "/review/settings/",                                (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), data={"reviews": "off"}),
    POST("review:settings", "/review/settings/",                                (LOG, 400,  400,  400,  400,  400,  400), data={"reviews": "sometimes"}),

    # Search is public, like the catalog; drafts are found only by those who may preview them.
    GET("search:results", "/search/?q=matrix",                                  (200, 200,  200,  200,  200,  200,  200)),
    GET("search:results", "/search/?q=" + "x" * 5000,                           (400, 400,  400,  400,  400,  400,  400), note="over-long"),
    POST("search:results", "/search/?q=matrix",                                 (405, 405,  405,  405,  405,  405,  405)),

    # Certificates: public to anyone with the code (the code is the secret); a revoked one's
    # page says so and its PDF and credential are gone (410); an unknown code is not found.
    GET("certificates:verify", CERT,                                            (200, 200,  200,  200,  200,  200,  200)),
    GET("certificates:verify", REVOKED_CERT,                                    (200, 200,  200,  200,  200,  200,  200)),
    GET("certificates:verify", NO_CERT,                                         (404, 404,  404,  404,  404,  404,  404)),
    POST("certificates:verify", CERT,                                           (405, 405,  405,  405,  405,  405,  405)),
    GET("certificates:pdf", CERT + "certificate.pdf",                           (200, 200,  200,  200,  200,  200,  200)),
    GET("certificates:pdf", REVOKED_CERT + "certificate.pdf",                   (410, 410,  410,  410,  410,  410,  410)),
    GET("certificates:pdf", NO_CERT + "certificate.pdf",                        (404, 404,  404,  404,  404,  404,  404)),
    POST("certificates:pdf", CERT + "certificate.pdf",                          (405, 405,  405,  405,  405,  405,  405)),
    GET("certificates:credential", CERT + "credential.json",                    (200, 200,  200,  200,  200,  200,  200)),
    GET("certificates:credential", REVOKED_CERT + "credential.json",            (410, 410,  410,  410,  410,  410,  410)),
    GET("certificates:credential", NO_CERT + "credential.json",                 (404, 404,  404,  404,  404,  404,  404)),
    POST("certificates:credential", CERT + "credential.json",                   (405, 405,  405,  405,  405,  405,  405)),
    GET("certificates:status_list", "/certificates/status/revocation/",         (200, 200,  200,  200,  200,  200,  200)),
    POST("certificates:status_list", "/certificates/status/revocation/",        (405, 405,  405,  405,  405,  405,  405)),
    # Revoking asks for a reason first (superusers only: instructors are not given certificates).
    POST("admin:certificates_certificate_changelist", "/admin/certificates/certificate/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  403,  200),
         data={"action": "revoke", "_selected_action": "{w.certificate.pk}"}, note="the reason page"),

    # Dashboards and their CSV: my progress for everyone logged in; a team's for its managers
    # and the staff; to anyone else a team does not exist.
    GET("progress:mine", "/progress/",                                          (LOG, 200,  200,  200,  200,  200,  200)),
    POST("progress:mine", "/progress/",                                         (405, 405,  405,  405,  405,  405,  405)),
    GET("progress:team", TEAM_A,                                                (LOG, 404,  404,  404,  200,  200,  200)),
    GET("progress:team", TEAM_B,                                                (LOG, 404,  404,  200,  404,  200,  200)),
    GET("progress:team", TEAM_A + "?course={w.course.slug}",                    (LOG, 404,  404,  404,  200,  200,  200)),
    GET("progress:team", TEAM_A + "?course={w.other_course.slug}",              (LOG, 404,  404,  404,  404,  404,  404), note="not team A's course"),
    GET("progress:team", "/teams/no-such-team/",                                (LOG, 404,  404,  404,  404,  404,  404)),
    POST("progress:team", TEAM_A,                                               (405, 405,  405,  405,  405,  405,  405)),
    # A member's page: the team's viewers only, for a member (not a manager) of that team.
    GET("progress:member", MEMBER_A_PAGE,                                       (LOG, 404,  404,  404,  200,  200,  200)),
    GET("progress:member", TEAM_B + "members/{w.member_a_membership.pk}/",      (LOG, 404,  404,  404,  404,  404,  404), note="not team B's member"),
    GET("progress:member", TEAM_A + "members/{w.manager_a_membership.pk}/",     (LOG, 404,  404,  404,  404,  404,  404), note="a manager, not a member"),
    GET("progress:member", TEAM_A + "members/999999/",                          (LOG, 404,  404,  404,  404,  404,  404)),
    POST("progress:member", MEMBER_A_PAGE,                                      (405, 405,  405,  405,  405,  405,  405)),
    # The teams one may see: for everyone signed in (an empty list says so).
    GET("progress:teams", "/teams/",                                            (LOG, 200,  200,  200,  200,  200,  200)),
    POST("progress:teams", "/teams/",                                           (405, 405,  405,  405,  405,  405,  405)),
    GET("progress:export", TEAM_A + "export.csv",                               (LOG, 404,  404,  404,  200,  200,  200)),
    GET("progress:export", TEAM_B + "export.csv",                               (LOG, 404,  404,  200,  404,  200,  200)),
    GET("progress:export", TEAM_A + "export.csv?course={w.course.slug}",        (LOG, 404,  404,  404,  200,  200,  200)),
    GET("progress:export", TEAM_A + "export.csv?course={w.other_course.slug}",  (LOG, 404,  404,  404,  404,  404,  404)),
    POST("progress:export", TEAM_A + "export.csv",                              (405, 405,  405,  405,  405,  405,  405)),

    # Invites: the link shows what joining means to anyone; joining needs an account.
    # Managing (members, renewing the link, removing) is for the team's managers and the
    # superuser; instructors only view dashboards.
    GET("teams:join", "/teams/join/{w.team_a.invite_code}/",                    (200, 200,  200,  200,  200,  200,  200)),
    GET("teams:join", "/teams/join/not-a-real-code/",                           (404, 404,  404,  404,  404,  404,  404)),
    POST("teams:join", "/teams/join/{w.team_a.invite_code}/",                   (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    POST("teams:join", "/teams/join/not-a-real-code/",                          (404, 404,  404,  404,  404,  404,  404)),
    GET("teams:members", TEAM_A + "members/",                                   (LOG, 404,  404,  404,  200,  404,  200)),
    GET("teams:members", TEAM_B + "members/",                                   (LOG, 404,  404,  200,  404,  404,  200)),
    POST("teams:members", TEAM_A + "members/",                                  (405, 405,  405,  405,  405,  405,  405)),
    GET("teams:renew_invite", TEAM_A + "invite/renew/",                         (405, 405,  405,  405,  405,  405,  405)),
    POST("teams:renew_invite", TEAM_A + "invite/renew/",                        (LOG, 404,  404,  404,  MOV,  404,  MOV)),
    POST("teams:renew_invite", TEAM_B + "invite/renew/",                        (LOG, 404,  404,  MOV,  404,  404,  MOV)),
    GET("teams:remove_member", REMOVE_MEMBER_A,                                 (LOG, 404,  404,  404,  200,  404,  200)),
    GET("teams:remove_member", TEAM_B + "members/{w.member_a_membership.pk}/remove/", (LOG, 404, 404, 404, 404, 404, 404), note="not team B's member"),
    POST("teams:remove_member", REMOVE_MEMBER_A,                                (LOG, 404,  404,  404,  MOV,  404,  MOV)),
    POST("teams:remove_member", TEAM_A + "members/{w.manager_a_membership.pk}/remove/", (LOG, 404, 404, 404, 409, 404, 409), note="the last manager"),
    # A team's courses and their due dates: for those who manage it (instructors only view).
    GET("teams:courses", TEAM_A + "courses/",                                   (LOG, 404,  404,  404,  200,  404,  200)),
    GET("teams:courses", TEAM_B + "courses/",                                   (LOG, 404,  404,  200,  404,  404,  200)),
    GET("teams:courses", "/teams/no-such-team/courses/",                        (LOG, 404,  404,  404,  404,  404,  404)),
    POST("teams:courses", TEAM_A + "courses/",                                  (LOG, 404,  404,  404,  MOV,  404,  MOV), data=DUE_LATER),
    POST("teams:courses", TEAM_A + "courses/",                                  (LOG, 404,  404,  404,  400,  404,  400), data=DUE_IN_THE_PAST, note="a new date in the past"),
    POST("teams:courses", TEAM_B + "courses/",                                  (LOG, 404,  404,  MOV,  404,  404,  MOV), data=DUE_LATER, note="team A's course: ignored"),

    # Mail. A nudge is sent by those who manage the team (not instructors), to its members
    # only; an unsubscribe link works for whoever holds it, logged in or not (a forged one is a
    # 400); the mail preferences are one's own.
    GET("notifications:nudge", NUDGE_MEMBER_A,                                  (405, 405,  405,  405,  405,  405,  405)),
    POST("notifications:nudge", NUDGE_MEMBER_A,                                 (LOG, 404,  404,  404,  MOV,  404,  MOV)),
    POST("notifications:nudge", NUDGE_MEMBER_A,                                 (LOG, 404,  404,  404,  200,  404,  200), headers=HTMX),
    POST("notifications:nudge", TEAM_B + "members/{w.member_a_membership.pk}/nudge/", (LOG, 404, 404, 404, 404, 404, 404), note="not team B's member"),
    POST("notifications:nudge", TEAM_A + "members/{w.manager_a_membership.pk}/nudge/", (LOG, 404, 404, 404, 404, 404, 404), note="managers are not nudged"),
    GET("notifications:unsubscribe", unsubscribe_link,                          (200, 200,  200,  200,  200,  200,  200), note="asks first"),
    POST("notifications:unsubscribe", unsubscribe_link,                         (200, 200,  200,  200,  200,  200,  200)),
    GET("notifications:unsubscribe", "/mail/unsubscribe/not-a-token/",          (400, 400,  400,  400,  400,  400,  400)),
    POST("notifications:unsubscribe", "/mail/unsubscribe/not-a-token/",         (400, 400,  400,  400,  400,  400,  400)),
    GET("notifications:preferences", "/account/email/",                         (LOG, 200,  200,  200,  200,  200,  200)),
    POST("notifications:preferences", "/account/email/",                        (LOG, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), data={"reminders": "on"}),

    # Accounts: Django's own views, and sign-up for visitors only.
    GET("accounts:signup", "/accounts/signup/",                                 (200, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    GET("accounts:account", "/accounts/profile/",                               (LOG, 200,  200,  200,  200,  200,  200)),
    POST("accounts:account", "/accounts/profile/",                              (LOG, 400,  400,  400,  400,  400,  400), note="empty: the form with errors"),
    POST("accounts:account", "/accounts/profile/",                              (LOG, 400,  400,  400,  400,  400,  400),
         data={"display_name": "A new name", "email": "someone.else@example.net"}, note="a new email without the password"),
    POST("accounts:signup", "/accounts/signup/",                                (200, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), note="empty: the form with errors"),
    GET("login", "/accounts/login/",                                            (200, 200,  200,  200,  200,  200,  200)),
    POST("login", "/accounts/login/",                                           (200, 200,  200,  200,  200,  200,  200), note="empty: the form with errors"),
    GET("logout", "/accounts/logout/",                                          (405, 405,  405,  405,  405,  405,  405)),
    POST("logout", "/accounts/logout/",                                         (MOV, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    GET("password_change", "/accounts/password_change/",                        (LOG, 200,  200,  200,  200,  200,  200)),
    POST("password_change", "/accounts/password_change/",                       (LOG, 200,  200,  200,  200,  200,  200), note="empty: the form with errors"),
    GET("password_change_done", "/accounts/password_change/done/",              (LOG, 200,  200,  200,  200,  200,  200)),
    GET("password_reset", "/accounts/password_reset/",                          (200, 200,  200,  200,  200,  200,  200)),
    POST("password_reset", "/accounts/password_reset/",                         (MOV, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), data={"email": "nobody@example.com"}),
    GET("password_reset_done", "/accounts/password_reset/done/",                (200, 200,  200,  200,  200,  200,  200)),
    GET("password_reset_confirm", "/accounts/reset/MQ/not-a-token/",            (200, 200,  200,  200,  200,  200,  200), note="the invalid-link page"),
    GET("password_reset_confirm", password_reset_link,                          (MOV, MOV,  MOV,  MOV,  MOV,  MOV,  MOV), note="a valid link"),
    GET("password_reset_complete", "/accounts/reset/done/",                     (200, 200,  200,  200,  200,  200,  200)),
    GET("healthz", "/healthz",                                                  (200, 200,  200,  200,  200,  200,  200)),
    POST("healthz", "/healthz",                                                 (405, 405,  405,  405,  405,  405,  405)),

    # The admin's own pages: staff only, everyone else is sent to its log-in page.
    GET("admin:index", "/admin/",                                               (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:login", "/admin/login/",                                         (200, 200,  200,  200,  200,  MOV,  MOV)),
    GET("admin:logout", "/admin/logout/",                                       (MOV, MOV,  MOV,  MOV,  MOV,  405,  405)),
    POST("admin:logout", "/admin/logout/",                                      (MOV, MOV,  MOV,  MOV,  MOV,  MOV,  MOV)),
    GET("admin:password_change", "/admin/password_change/",                     (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:password_change_done", "/admin/password_change/done/",           (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:autocomplete", "/admin/autocomplete/",                           (ADM, ADM,  ADM,  ADM,  ADM,  403,  403), note="no field named"),
    GET("admin:autocomplete", "/admin/autocomplete/?app_label=accounts&model_name=membership&field_name=user",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:jsi18n", "/admin/jsi18n/",                                       (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:view_on_site", view_on_site,                                     (ADM, ADM,  ADM,  ADM,  ADM,  MOV,  MOV)),
    GET("admin:app_list", "/admin/auth/",                                       (ADM, ADM,  ADM,  ADM,  ADM,  200,  200), note="instructors view users"),
    GET("admin:app_list", "/admin/axes/",                                       (ADM, ADM,  ADM,  ADM,  ADM,  404,  200), note="nothing for instructors"),
    GET("admin:app_list", "/admin/accounts/",                                   (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/courses/",                                    (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/lessons/",                                    (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/matrix/",                                     (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/quizzes/",                                    (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/practice/",                                   (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:app_list", "/admin/notifications/",                              (ADM, ADM,  ADM,  ADM,  ADM,  404,  200), note="mail: superusers only"),
    GET("admin:app_list", "/admin/django_tasks_database/",                      (ADM, ADM,  ADM,  ADM,  ADM,  404,  200)),
    GET("admin/(?P<url>.*)$", "/admin/no-such-page/",                           (ADM, ADM,  ADM,  ADM,  ADM,  404,  404)),
    GET("admin:auth_user_password_change", "/admin/auth/user/{w.users[learner].pk}/password/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  403,  200)),
    # The lesson live preview is not behind admin_view: non-staff get a plain 403.
    GET("admin:lessons_lesson_preview", "/admin/lessons/lesson/preview/",       (405, 405,  405,  405,  405,  405,  405)),
    POST("admin:lessons_lesson_preview", "/admin/lessons/lesson/preview/",      (403, 403,  403,  403,  403,  200,  200), data={"body": "## Draft\n\n[[matrix:base-strength]]"}),
    GET("admin:lessons_lesson_compare", "/admin/lessons/lesson/{w.draft_lesson.pk}/history/compare/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:lessons_lesson_simple_history", lesson_revision,                 (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:practice_block_simple_history", block_revision,                  (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    # The matrix's cell grid.
    GET("admin:matrix_decisionmatrix_cells", "/admin/matrix/decisionmatrix/{w.matrix.pk}/cells/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:matrix_decisionmatrix_cells", "/admin/matrix/decisionmatrix/{w.draft_matrix.pk}/cells/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  200,  200)),
    GET("admin:matrix_decisionmatrix_cells", "/admin/matrix/decisionmatrix/999999/cells/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  404,  404)),
    POST("admin:matrix_decisionmatrix_cells", "/admin/matrix/decisionmatrix/{w.matrix.pk}/cells/",
                                                                                (ADM, ADM,  ADM,  ADM,  ADM,  400,  400), data={"_continue": "1"},
         note="a published matrix needs every cell: the grid with errors"),
]

# What each role gets on the admin pages of each registered model. Non-staff roles are always
# sent to the admin's log-in page. The instructor's access comes from the Instructors group
# (accounts/roles.py): authoring courses, lessons, quizzes and matrices, viewing users and
# teams, nothing else and never deleting. Some admins are read-only for everybody (learners'
# records, django-axes' logs): no adding, a change page that only shows.
#                                   instructor:  list  add  change history delete    superuser: list  add  change history delete
ADMIN_MODELS = {
    "auth.group":                              ((403,  403,  403,  403,   403),                (200,  200,  200,  200,   200)),
    "auth.user":                               ((200,  403,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "axes.accessattempt":                      ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "axes.accesslog":                          ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "axes.accessfailurelog":                   ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "accounts.team":                           ((200,  403,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "accounts.membership":                     ((200,  403,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "courses.course":                          ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "courses.enrollment":                      ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "lessons.lesson":                          ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "lessons.objective":                       ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "progress.objectivecoverage":              ((200,  403,  200,  200,   403),                (200,  403,  200,  200,   403)),
    "matrix.decisionmatrix":                   ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "matrix.advisorpreset":                    ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "matrix.matrixprediction":                 ((200,  403,  200,  200,   403),                (200,  403,  200,  200,   200)),
    "quizzes.quiz":                            ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "quizzes.question":                        ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "quizzes.attempt":                         ((200,  403,  200,  200,   403),                (200,  403,  200,  200,   200)),
    "practice.block":                          ((200,  200,  200,  200,   403),                (200,  200,  200,  200,   200)),
    "practice.blockanswer":                    ((200,  403,  200,  200,   403),                (200,  403,  200,  200,   200)),
    "review.card":                             ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "review.reviewlog":                        ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "review.reviewsettings":                   ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "notifications.mail":                      ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "notifications.mailpreference":            ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   200)),
    "django_tasks_database.dbtaskresult":      ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   403)),
    "certificates.certificate":                ((403,  403,  403,  403,   403),                (200,  403,  200,  200,   403)),
}
# fmt: on
ADMIN_PAGES = ("changelist", "add", "change", "history", "delete")
NON_STAFF = (ADM, ADM, ADM, ADM, ADM)


def admin_cases() -> list[Case]:
    cases = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in ADMIN_MODELS:
            continue  # reported by test_every_admin_model_has_a_row
        app, name = label.split(".")
        instructor, superuser = ADMIN_MODELS[label]
        for page, mine, full in zip(ADMIN_PAGES, instructor, superuser, strict=True):

            def path(world, model=model, page=page):
                url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
                if page in ("changelist", "add"):
                    return reverse(url_name)
                return reverse(url_name, args=[quote(world.admin_object(model).pk)])

            cases.append(GET(f"admin:{app}_{name}_{page}", path, (*NON_STAFF, mine, full)))

        def redirect(world, model=model, app=app, name=name):
            return f"/admin/{app}/{name}/{quote(world.admin_object(model).pk)}/"

        # The bare object URL forwards staff to the change page, whatever they may do there.
        redirect_route = f"admin/{app}/{name}/<path:object_id>/"
        cases.append(GET(redirect_route, redirect, (*NON_STAFF, MOV, MOV)))
    return cases


CASES = PAGES + admin_cases()
ROUTES = url_patterns()


def route_key(route) -> str:
    return route.name or route.route


def outcome(response, url: str):
    """The response as the tables spell it: a status, or which kind of redirect."""
    if response.status_code not in (301, 302, 303):
        return response.status_code
    location = response["Location"]
    for kind, login in ((LOG, reverse("login")), (ADM, reverse("admin:login"))):
        if location.startswith(login + "?"):
            # The log-in page must bring the person back to a page of this site.
            back = parse_qs(urlsplit(location).query).get("next", [""])[0]
            assert back.startswith("/") and not back.startswith("//"), location
            return kind
    return MOV


def request(world: World, case: Case, role: str, clients: dict):
    """Ask as ``role``; whatever the request writes is rolled back before the next role asks.

    Returns the URL, the response and, for a GET, what it changed in the database beyond
    the documented effects (get_effects.py): a GET must change nothing else. GETs reuse one
    logged-in client per role (``clients``, logged in outside the rolled-back part); a POST,
    which may log out or change a password, gets a client of its own.
    """
    unexpected = []
    if case.method == "GET" and role not in clients:
        clients[role] = world.client(role)
    with transaction.atomic():
        url = case.url(world)
        if case.method == "GET":
            before = snapshot.take()
            response = clients[role].get(url, headers=case.headers)
            for change in snapshot.changes(before, snapshot.take()).values():
                if by_design(url, world.users[role], change) is None:
                    unexpected.append(change)
        else:
            response = world.client(role).post(url, case.form(world), headers=case.headers)
        transaction.set_rollback(True)
    return url, response, unexpected


@pytest.mark.parametrize("route", ROUTES, ids=[route_key(r) for r in ROUTES])
def test_every_url_pattern_answers_each_role_as_expected(world, route):
    """Each row's status for every role; and every GET, as every role, changes no table."""
    key = route_key(route)
    cases = [case for case in CASES if case.route == key]
    assert cases, (
        f"The URL pattern {route.route!r} ({route.name or 'no name'}) has no row in the "
        "authorization matrix: add one to PAGES in tests/security/test_authorization.py."
    )
    problems, clients = [], {}
    for case in cases:
        sample = case.url(world)
        assert resolved_key(sample) == key, f"{sample} is not {key}: fix the row"
        for role, expected in zip(ROLES, case.expected, strict=True):
            url, response, unexpected = request(world, case, role, clients)
            got = outcome(response, url)
            if got != expected:
                problems.append(f"{case.method} {url} as {role}: expected {expected}, got {got}")
            for change in unexpected:
                problems.append(f"GET {url} as {role} changed the database: {change}")
    assert problems == [], "\n".join(problems)


def test_every_row_names_a_url_pattern():
    keys = {route_key(route) for route in ROUTES}
    stale = sorted({case.route for case in CASES} - keys)
    assert stale == [], f"rows for URL patterns that no longer exist: {stale}"


def test_every_admin_model_has_a_row():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS), (
        f"missing: {sorted(registered - set(ADMIN_MODELS))}, "
        f"stale: {sorted(set(ADMIN_MODELS) - registered)}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_predictions_are_revealed_only_to_the_person_who_made_them(world, role):
    # The matrix page answers 200 to everyone (above); what it shows must not be member A's.
    url = f"/matrix/{world.matrix.slug}/?reveal={world.other_submission}"
    page = world.client(role).get(url).content.decode()
    if role == MEMBER_A:
        assert "You predicted" in page and "could not be found" not in page
    else:
        assert "You predicted" not in page and "could not be found" in page
