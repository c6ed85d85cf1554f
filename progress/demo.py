"""The demo team behind ``manage.py seed_demo``: a manager, an instructor and a dozen learners
with varied synthetic progress, so every screen has something to show (development only).

``seed_demo`` is idempotent: accounts, the team and memberships are created when missing and
kept otherwise (a password someone changed is left alone), and a learner gets synthetic
activity only while they have none, so running it again changes nothing. Content loaded
later is picked up by learners who have no activity yet. The same seed always gives the same
story: a few learners who finished, some midway, two stuck for weeks, one who never started.
Learners have display names (but one, shown by username), the first course was due five days
ago and the second is due in five days, so the dashboards show who is late and who is close.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from accounts.models import Assignment, Membership, Profile, Team
from accounts.roles import sync_instructors_group
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixCell, MatrixPrediction
from practice.models import BlockAnswer, BlockPlacement
from progress.cohort import pick_choices, pick_confidence
from quizzes.grading import grade_answers
from quizzes.models import Attempt, Quiz, Response
from review.cohort import cards_from_history

DEMO_PASSWORD = "demo-Password-2026"  # noqa: S105 - published on purpose: development-only accounts
TEAM_SLUG = "demo-team"
TEAM_NAME = "Demo team"
MANAGER = "demo-manager"
INSTRUCTOR = "demo-instructor"
SEED = 2026
# Days from now to each assigned course's due date, in course order (None: no due date), and
# how long ago the courses were assigned.
DUE_IN_DAYS = (-5, 5, None)
ASSIGNED_DAYS_AGO = 40
# demo-learner-11 keeps no display name: the pages show the username instead.
WITHOUT_DISPLAY_NAME = 11
# (first name, last name, engagement 0-1, stuck) for demo-learner-01 to -12.
LEARNERS = [
    ("Amira", "Haddad", 1.0, False),
    ("Ben", "Okafor", 1.0, False),
    ("Chen", "Wei", 0.9, False),
    ("Dana", "Kowalski", 0.8, False),
    ("Elif", "Yilmaz", 0.7, False),
    ("Farid", "Rahimi", 0.6, False),
    ("Grace", "Mensah", 0.5, False),
    ("Hugo", "Lambert", 0.45, False),
    ("Ines", "Duarte", 0.35, True),
    ("Jonas", "Berg", 0.25, True),
    ("Kiri", "Walker", 0.15, False),
    ("Lena", "Novak", 0.0, False),
]


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    seeded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    team: Team | None = None

    @property
    def learners(self) -> list[str]:
        return [learner_username(n) for n in range(1, len(LEARNERS) + 1)]


def learner_username(number: int) -> str:
    return f"demo-learner-{number:02d}"


def _account(username, *, password_hash, report, **fields):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "password": password_hash, **fields},
    )
    if created:
        report.created.append(username)
    return user


def _has_activity(user) -> bool:
    return (
        Enrollment.objects.filter(user=user).exists()
        or LessonCompletion.objects.filter(user=user).exists()
        or Attempt.objects.filter(user=user).exists()
        or MatrixPrediction.objects.filter(user=user).exists()
    )


def _take_quiz(*, user, quiz, questions, ability, moment, rng, now) -> datetime.datetime:
    tries = 1 + (rng.random() < 0.5)
    if quiz.max_attempts:
        tries = min(tries, quiz.max_attempts)
    for number in range(tries):
        moment += datetime.timedelta(hours=rng.randint(2, 30))
        answers = {
            q.pk: {c.pk for c in pick_choices(rng, q, right=rng.random() < min(0.97, ability + 0.15 * number))}
            for q in questions
        }
        grade = grade_answers(questions=questions, answers=answers, pass_percent=quiz.pass_percent)
        attempt = Attempt.objects.create(
            user=user, quiz=quiz, question_order=[q.pk for q in questions], total=grade.total
        )
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=moment - datetime.timedelta(minutes=9),
            submitted_at=moment,
            score=grade.score,
            percent=grade.percent,
            passed=grade.passed,
        )
        for item in grade.questions:
            response = Response.objects.create(
                attempt=attempt, question_id=item.question_id, is_correct=item.is_correct,
                confidence=pick_confidence(rng, right=item.is_correct),
            )
            response.chosen.set(item.chosen)
        if grade.passed:
            break
    return moment


def _answer_blocks(*, user, lesson, ability, moment, rng) -> None:
    """First tries at the checks and predict blocks of a lesson the learner completed."""
    placements = BlockPlacement.objects.filter(lesson=lesson).select_related("block")
    for placement in placements.prefetch_related("block__choices"):
        block = placement.block
        choices = list(block.choices.all())
        answer = BlockAnswer.objects.create(
            user=user, block=block, is_first=True, token=uuid.UUID(int=rng.getrandbits(128)),
            text="" if choices else "It would miss what the lesson says it cannot know.",
        )  # fmt: skip
        BlockAnswer.objects.filter(pk=answer.pk).update(answered_at=moment)
        if not choices:
            continue  # a prediction in words: nothing to mark
        right = rng.random() < ability
        picked = [c for c in choices if c.is_correct] if right else [
            rng.choice([c for c in choices if not c.is_correct] or choices)
        ]
        answer.choices.set(picked)
        BlockAnswer.objects.filter(pk=answer.pk).update(
            is_correct=right, confidence=pick_confidence(rng, right=right)
        )


def _review_cards(user) -> None:
    """The review cards the learner's quiz answers would have made, replayed through the real
    rating rule and scheduler, so /review/ has cards due for the demo learners."""
    answers = Response.objects.filter(attempt__user=user, attempt__submitted_at__isnull=False)
    cards_from_history(
        (user.pk, question_id, right, confidence, moment)
        for question_id, right, confidence, moment in answers.values_list(
            "question_id", "is_correct", "confidence", "attempt__submitted_at"
        )
    )


def _seed_learner(*, user, number, courses, quizzes, cells, verdicts, now) -> None:
    """Synthetic activity for one learner, laid out in time and then shifted so that it ends
    a few days ago (or three to six weeks ago for the stuck ones)."""
    _, _, engagement, stuck = LEARNERS[number - 1]
    rng = random.Random(f"{SEED}-{number}")
    # Engaged learners tend to answer better, with some spread.
    ability = min(0.95, max(0.3, 0.45 + 0.45 * engagement + rng.uniform(-0.12, 0.12)))
    if engagement == 0:
        return
    start = now - datetime.timedelta(days=120)
    moment = start
    for index, (course, lessons) in enumerate(courses):
        share = engagement * (1.15 - 0.25 * index) + rng.uniform(-0.1, 0.1)
        done = max(0, min(len(lessons), round(len(lessons) * share)))
        if stuck:
            done = min(done, max(1, len(lessons) // 3))
        if not done and index:
            continue
        moment += datetime.timedelta(hours=rng.randint(6, 72))
        enrolled_at = moment
        for lesson in lessons[:done]:
            moment += datetime.timedelta(hours=rng.randint(4, 50))
            _answer_blocks(user=user, lesson=lesson, ability=ability, moment=moment, rng=rng)
            completion = LessonCompletion.objects.create(user=user, lesson=lesson)
            LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=moment)
        if done >= max(1, len(lessons) // 2):
            for quiz, questions in quizzes.get(course.pk, []):
                moment = _take_quiz(
                    user=user, quiz=quiz, questions=questions, ability=ability,
                    moment=moment, rng=rng, now=now,
                )
        Enrollment.objects.create(user=user, course=course)
        Enrollment.objects.filter(user=user, course=course).update(
            enrolled_at=enrolled_at,
            last_seen_at=moment,
            last_lesson=lessons[done - 1] if done else (lessons[0] if lessons else None),
        )
    for cell in cells:
        if rng.random() > engagement + 0.15:
            continue
        right = rng.random() < 0.25 + 0.65 * ability
        wrong = sorted(verdicts[cell.row.matrix_id] - {cell.verdict})
        moment += datetime.timedelta(minutes=rng.randint(1, 20))
        prediction = MatrixPrediction.objects.create(
            user=user, cell=cell, verdict=cell.verdict if right or not wrong else rng.choice(wrong),
            confidence=pick_confidence(rng, right=right), is_correct=right or not wrong,
            is_first=True,
        )
        MatrixPrediction.objects.filter(pk=prediction.pk).update(created_at=moment)
    ends_days_ago = rng.randint(20, 40) if stuck else rng.randint(0, 6)
    shift = (now - datetime.timedelta(days=ends_days_ago, hours=rng.randint(1, 12))) - moment
    LessonCompletion.objects.filter(user=user).update(completed_at=F("completed_at") + shift)
    Attempt.objects.filter(user=user).update(
        started_at=F("started_at") + shift, submitted_at=F("submitted_at") + shift
    )
    Enrollment.objects.filter(user=user).update(
        enrolled_at=F("enrolled_at") + shift, last_seen_at=F("last_seen_at") + shift
    )
    MatrixPrediction.objects.filter(user=user).update(created_at=F("created_at") + shift)
    BlockAnswer.objects.filter(user=user).update(answered_at=F("answered_at") + shift)


@transaction.atomic
def seed_demo(*, now: datetime.datetime | None = None) -> DemoReport:
    """Create (or keep) the demo accounts and team, and synthetic activity for new learners."""
    now = now or timezone.now()
    report = DemoReport()
    password_hash = make_password(DEMO_PASSWORD)
    manager = _account(MANAGER, password_hash=password_hash, report=report,
                       first_name="Maya", last_name="Manager")
    instructor = _account(INSTRUCTOR, password_hash=password_hash, report=report,
                          first_name="Ivan", last_name="Instructor", is_staff=True)
    if not instructor.is_staff:
        instructor.is_staff = True
        instructor.save(update_fields=["is_staff"])
    instructor.groups.add(sync_instructors_group())

    team, created = Team.objects.get_or_create(slug=TEAM_SLUG, defaults={"name": TEAM_NAME})
    if created:
        report.created.append(f"team {TEAM_SLUG}")
    report.team = team
    published = list(Course.objects.filter(is_published=True).order_by("order", "title"))
    for index, course in enumerate(published):
        due_in = DUE_IN_DAYS[index] if index < len(DUE_IN_DAYS) else None
        Assignment.objects.get_or_create(
            team=team,
            course=course,
            defaults={
                "assigned_at": now - datetime.timedelta(days=ASSIGNED_DAYS_AGO),
                "due_on": None if due_in is None else timezone.localdate(now) + datetime.timedelta(days=due_in),
            },
        )
    Membership.objects.get_or_create(
        team=team, user=manager, defaults={"role": Membership.Role.MANAGER}
    )
    Profile.objects.get_or_create(user=manager, defaults={"display_name": "Maya Manager"})

    courses = [
        (course, list(course.lessons.filter(status=Lesson.Status.PUBLISHED).order_by("order", "pk")))
        for course in published
    ]
    quizzes: dict[int, list] = {}
    for quiz in Quiz.objects.filter(is_published=True, course__in=published).order_by("order", "pk"):
        questions = list(quiz.questions.prefetch_related("choices").order_by("order", "pk"))
        if questions:
            quizzes.setdefault(quiz.course_id, []).append((quiz, questions))
    cells = list(
        MatrixCell.objects.filter(row__matrix__is_published=True, column__is_default=False)
        .select_related("row", "column")
        .order_by("row__matrix_id", "row__order", "column__order")
    )
    verdicts: dict[int, set[str]] = {}
    for cell in MatrixCell.objects.filter(row__matrix__is_published=True).select_related("row"):
        verdicts.setdefault(cell.row.matrix_id, set()).add(cell.verdict)
    if not published:
        report.skipped.append(
            "No published course is loaded, so the learners have no lessons or quiz attempts: "
            "run `manage.py load_content content`, then seed_demo again."
        )
    elif not quizzes:
        report.skipped.append("No published quiz with questions: no quiz attempts were made.")
    if not cells:
        report.skipped.append("No published decision matrix: no matrix predictions were made.")

    for number, (first_name, last_name, _, _) in enumerate(LEARNERS, start=1):
        username = learner_username(number)
        user = _account(username, password_hash=password_hash, report=report,
                        first_name=first_name, last_name=last_name)
        if number != WITHOUT_DISPLAY_NAME:
            Profile.objects.get_or_create(user=user, defaults={"display_name": f"{first_name} {last_name}"})
        membership, joined_now = Membership.objects.get_or_create(team=team, user=user)
        joined = now - datetime.timedelta(days=30) if joined_now else None
        if (published or cells) and not _has_activity(user):
            _seed_learner(user=user, number=number, courses=courses, quizzes=quizzes, cells=cells,
                          verdicts=verdicts, now=now)  # fmt: skip
            _review_cards(user)
            if _has_activity(user):
                report.seeded.append(username)
                first = Enrollment.objects.filter(user=user).aggregate(first=Min("enrolled_at"))
                joined = (first["first"] or now) - datetime.timedelta(days=1)
        if joined:
            # The learner who never starts joined a month ago: the dashboard says they have not started.
            Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
    return report
