"""A deterministic synthetic cohort over the loaded content, for load tests and demos.

``make_cohort`` creates learners with a latent ability and engagement, spreads them over
teams with one manager each (courses assigned 120 days ago, the first overdue and the second
due soon; three learners in four with a display name), and gives them enrolments, lesson
completions in course order,
submitted quiz attempts whose scores follow ability (so item analysis has signal), first
matrix predictions, and the review cards and history those quiz answers make (``review.cohort``). Everything is written with bulk inserts, so 1,000 learners take seconds.
With ``everyone=True`` one more team, ``<prefix>-everyone``, holds every learner of the
cohort (each stays in their own team too) with a manager of its own: the benchmark's
1,000-member team dashboard. The same seed always gives the same cohort; running again
replaces the cohort with the same prefix and touches nothing else.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Assignment, Membership, Profile, Team
from core.confidence import Confidence
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixCell, MatrixPrediction, Winner
from quizzes.grading import has_passed, percent_of
from quizzes.models import Attempt, Choice, Question, Quiz, Response
from review.cohort import cards_from_history

BATCH = 2000
COHORT_PASSWORD = "load-test-password"  # noqa: S105 - synthetic accounts, development only


@dataclass
class CohortStats:
    """How many rows of each kind ``make_cohort`` wrote."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, number: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + number

    def summary(self) -> str:
        return ", ".join(f"{number} {kind}" for kind, number in self.counts.items())


@contextmanager
def explicit_timestamps(*fields):
    """Let bulk inserts keep the past timestamps we give auto_now_add fields."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _content():
    courses = list(Course.objects.filter(is_published=True).order_by("order", "id"))
    lessons = {
        course.pk: list(
            Lesson.objects.filter(course=course, status=Lesson.Status.PUBLISHED).order_by("order", "id")
        )
        for course in courses
    }
    quizzes = list(
        Quiz.objects.filter(is_published=True, course__in=courses).prefetch_related(
            "questions__choices"
        )
    )
    cells = list(
        MatrixCell.objects.filter(row__matrix__is_published=True, column__is_default=False)
        .select_related("row", "column")
        .order_by("row__matrix_id", "row__order", "column__order")
    )
    return courses, lessons, quizzes, cells


def delete_cohort(prefix: str) -> None:
    get_user_model().objects.filter(username__startswith=f"{prefix}-").delete()
    Team.objects.filter(slug__startswith=f"{prefix}-").delete()


@transaction.atomic
def make_cohort(
    *, learners: int, teams: int, seed: int, prefix: str = "load", everyone: bool = False
) -> CohortStats:
    """Replace the cohort named ``prefix`` with ``learners`` learners in ``teams`` teams, plus
    a team of all of them when ``everyone``."""
    rng = random.Random(seed)
    stats = CohortStats()
    now = timezone.now()
    User = get_user_model()
    delete_cohort(prefix)
    courses, lessons_by_course, quizzes, cells = _content()
    password = make_password(COHORT_PASSWORD)

    people = [
        User(username=f"{prefix}-learner-{i:05d}", email=f"{prefix}-learner-{i:05d}@example.com",
             first_name="Learner", last_name=f"{i:05d}", password=password)
        for i in range(1, learners + 1)
    ]
    managers = [
        User(username=f"{prefix}-manager-{t:02d}", email=f"{prefix}-manager-{t:02d}@example.com",
             first_name="Manager", last_name=f"{t:02d}", password=password)
        for t in range(1, teams + 1)
    ]
    User.objects.bulk_create(people + managers, batch_size=BATCH)
    people = list(User.objects.filter(username__startswith=f"{prefix}-learner-").order_by("username"))
    # Most learners give a display name (the dashboards' order and labels), some do not.
    Profile.objects.bulk_create(
        [Profile(user=person, display_name=f"{person.first_name} {person.last_name}")
         for n, person in enumerate(people) if n % 4],  # fmt: skip
        batch_size=BATCH,
    )
    managers = list(User.objects.filter(username__startswith=f"{prefix}-manager-").order_by("username"))
    stats.add("users", len(people) + len(managers))

    team_rows = Team.objects.bulk_create(
        [Team(name=f"Load team {t:02d}", slug=f"{prefix}-team-{t:02d}",
              invite_code=f"{prefix}-{seed}-{t:02d}-{rng.getrandbits(64):016x}")
         for t in range(1, teams + 1)]
    )
    team_rows = list(Team.objects.filter(slug__startswith=f"{prefix}-team-").order_by("slug"))
    Assignment.objects.bulk_create(
        [Assignment(team_id=team.pk, course_id=course.pk, **_assignment(number, now))
         for team in team_rows for number, course in enumerate(courses)]  # fmt: skip
    )
    memberships = [
        Membership(team=team_rows[t], user=manager, role=Membership.Role.MANAGER)
        for t, manager in enumerate(managers)
    ] + [
        Membership(team=team_rows[i % teams], user=person, role=Membership.Role.MEMBER)
        for i, person in enumerate(people)
    ]
    if everyone:
        memberships += _everyone_team(prefix=prefix, people=people, courses=courses, password=password)
        stats.add("users", 1)
        stats.add("teams", 1)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    stats.add("teams", len(team_rows))

    enrollments, completions, attempts, pending_responses, predictions = [], [], [], [], []
    quizzes_by_course = {}
    for quiz in quizzes:
        quizzes_by_course.setdefault(quiz.course_id, []).append(quiz)
    difficulty = {q.pk: rng.uniform(-0.25, 0.3) for quiz in quizzes for q in quiz.questions.all()}

    for person in people:
        ability = rng.betavariate(2.5, 2)
        engagement = rng.random()
        started_days_ago = rng.randint(3, 90)
        for course in courses:
            if rng.random() > 0.35 + 0.6 * engagement:
                continue
            lessons = lessons_by_course[course.pk]
            done = min(len(lessons), round(len(lessons) * min(1.0, engagement * 1.4 + rng.uniform(-0.2, 0.2))))
            moment = now - timedelta(days=started_days_ago, hours=rng.randint(0, 23))
            for lesson in lessons[:done]:
                moment += timedelta(hours=rng.randint(1, 72))
                completions.append(LessonCompletion(user=person, lesson=lesson, completed_at=min(moment, now)))
            last = lessons[done - 1] if done else (lessons[0] if lessons else None)
            enrollments.append(Enrollment(user=person, course=course, last_lesson=last,
                                          last_seen_at=min(moment, now),
                                          enrolled_at=now - timedelta(days=started_days_ago)))
            if not lessons or done < len(lessons) // 2:
                continue
            for quiz in quizzes_by_course.get(course.pk, []):
                questions = list(quiz.questions.all())
                tries = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
                for number in range(tries):
                    moment += timedelta(hours=rng.randint(1, 48))
                    answers = []
                    for question in questions:
                        p_right = min(0.97, max(0.05, ability + 0.08 * number - difficulty[question.pk]))
                        right = rng.random() < p_right
                        answers.append((question, right, pick_choices(rng, question, right=right)))
                    score = sum(1 for _, right, _ in answers if right)
                    total = len(questions)
                    percent = percent_of(score, total)
                    attempt = Attempt(user=person, quiz=quiz, started_at=min(moment, now) - timedelta(minutes=12),
                                      submitted_at=min(moment, now), question_order=[q.pk for q in questions],
                                      score=score, total=total, percent=percent,
                                      passed=has_passed(score, total, quiz.pass_percent))
                    attempts.append(attempt)
                    pending_responses.append((attempt, answers))
        for cell in cells:
            if rng.random() > 0.3 + 0.6 * engagement:
                continue
            right = rng.random() < 0.35 + 0.5 * ability
            wrong = [w for w in Winner.values if w != cell.winner]
            predictions.append(MatrixPrediction(
                user=person, cell=cell, predicted=cell.winner if right else rng.choice(wrong),
                is_correct=right, is_first=True,
                created_at=now - timedelta(days=rng.randint(0, started_days_ago)),
            ))

    with explicit_timestamps(Enrollment._meta.get_field("enrolled_at"),
                             LessonCompletion._meta.get_field("completed_at"),
                             Attempt._meta.get_field("started_at"),
                             MatrixPrediction._meta.get_field("created_at")):
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        LessonCompletion.objects.bulk_create(completions, batch_size=BATCH)
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        MatrixPrediction.objects.bulk_create(predictions, batch_size=BATCH)

    responses = [
        Response(attempt=attempt, question=question, is_correct=right)
        for attempt, answers in pending_responses
        for question, right, _ in answers
    ]
    Response.objects.bulk_create(responses, batch_size=BATCH)
    chosen_rows = []
    responses_iter = iter(responses)
    for _attempt, answers in pending_responses:
        for _question, _right, chosen in answers:
            response = next(responses_iter)
            chosen_rows.extend(Response.chosen.through(response_id=response.pk, choice_id=c.pk) for c in chosen)
    Response.chosen.through.objects.bulk_create(chosen_rows, batch_size=BATCH)
    cards, reviews = cards_from_history(
        (attempt.user.pk, question.pk, right, "", attempt.submitted_at)
        for attempt, answers in pending_responses
        for question, right, _ in answers
    )

    stats.add("enrollments", len(enrollments))
    stats.add("lesson completions", len(completions))
    stats.add("quiz attempts", len(attempts))
    stats.add("responses", len(responses))
    stats.add("matrix predictions", len(predictions))
    stats.add("review cards", cards)
    stats.add("review logs", reviews)
    return stats


def _assignment(number: int, now) -> dict:
    """The dates of a team's ``number``-th course: assigned 120 days ago; the first course was
    due 10 days ago and the second is due in 5, so the dashboards have people overdue and due
    soon to show."""
    due = {0: -10, 1: 5}.get(number)
    return {
        "assigned_at": now - timedelta(days=120),
        "due_on": None if due is None else timezone.localdate(now) + timedelta(days=due),
    }


def _everyone_team(*, prefix: str, people, courses, password: str) -> list[Membership]:
    """A team of every learner with its own manager; returns the memberships to insert."""
    User = get_user_model()
    manager = User.objects.create(
        username=f"{prefix}-manager-everyone", email=f"{prefix}-manager-everyone@example.com",
        first_name="Manager", last_name="Everyone", password=password,
    )
    team = Team.objects.create(name="Load cohort (everyone)", slug=f"{prefix}-everyone",
                               invite_code=f"{prefix}-everyone-invite")
    Assignment.objects.bulk_create(
        [Assignment(team=team, course=course, **_assignment(number, timezone.now())) for number, course in enumerate(courses)]
    )
    return [Membership(team=team, user=manager, role=Membership.Role.MANAGER)] + [
        Membership(team=team, user=person, role=Membership.Role.MEMBER) for person in people
    ]


def pick_choices(rng: random.Random, question: Question, *, right: bool) -> list[Choice]:
    """The choices a synthetic learner picks: the right set, or a plausible wrong one.

    Wrong answers cluster on the question's first wrong choice, as real misconceptions do, so
    the team dashboard's "most chosen wrong answer" has something to find.
    """
    choices = list(question.choices.all())
    correct = [c for c in choices if c.is_correct]
    wrong = [c for c in choices if not c.is_correct]
    if right or not wrong:
        return correct
    if question.kind == Question.Kind.MULTIPLE and len(correct) > 1:
        return correct[1:] + [rng.choice(wrong)]
    return [wrong[0] if rng.random() < 0.6 else rng.choice(wrong)]


def pick_confidence(rng: random.Random, *, right: bool) -> str:
    """How sure a synthetic learner says they were: mostly sure when right, and sure but wrong
    about one time in five when wrong, so "confidently wrong" has something to show."""
    weights = (0.5, 0.35, 0.15) if right else (0.2, 0.4, 0.4)
    return rng.choices(list(Confidence.values), weights=weights)[0]

