"""A deterministic synthetic cohort over the loaded content, for load tests and demos.

``make_cohort`` creates learners with a latent ability and engagement, spreads them over
teams with one manager each, and gives them enrolments, lesson completions in course order,
submitted quiz attempts whose scores follow ability (so item analysis has signal), first
matrix predictions, and the review cards and history those quiz answers make
(``review.cohort``). About four in five learners have a display name (``accounts.Profile``);
the others are shown by username, as people who never gave one are. Each team's courses
were assigned 100 days ago, and some are due: the first course of every team but one in
three was due a week ago (so dashboards show who is overdue), the second is due in five
days (due soon), the rest have no due date.

With ``everyone=True`` one more team, ``<prefix>-everyone``, holds every learner of the
cohort (each stays in their own team too) with a manager of its own: the benchmark's largest
team dashboard (10,000 members with ``--learners 10000``). The same seed always gives the
same cohort; running again replaces the cohort with the same prefix and touches nothing else.

Speed: the large tables (completions, attempts, responses and their choices, predictions,
review cards and logs) are written with ``core.bulk.insert_rows`` (plain tuples through the
driver's ``executemany``, no model instance per row): 10,000 learners, about 1.6 million rows,
in well under a minute (README, Performance).
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Assignment, Membership, Profile, Team
from core.bulk import insert_rows, last_pk, new_pks
from core.confidence import Confidence
from courses.models import Course, Enrollment
from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixCell, MatrixPrediction, Winner
from quizzes.grading import has_passed, percent_of
from quizzes.models import Attempt, Choice, Question, Quiz, Response
from review.cohort import cards_from_history

BATCH = 2000
# Share of learners with a display name (the rest are shown by username).
WITH_DISPLAY_NAME = 0.8
FIRST_NAMES = ("Ada", "Bea", "Chidi", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jun",
               "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven",
               "Tariq", "Uma", "Vera", "Wei", "Yara", "Zoltan")  # fmt: skip
LAST_NAMES = ("Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Kowalski", "Mensah",
              "Oliveira", "Novak", "Sato", "Byrne", "Rahman", "Fischer", "Costa", "Petrov")  # fmt: skip
ASSIGNED_DAYS_AGO = 100
COHORT_PASSWORD = "load-test-password"  # noqa: S105 - synthetic accounts, development only


@dataclass
class CohortStats:
    """How many rows of each kind ``make_cohort`` wrote."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, number: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + number

    def summary(self) -> str:
        return ", ".join(f"{number} {kind}" for kind, number in self.counts.items())


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
    names = random.Random(seed + 1)  # its own stream: adding names changes no other draw
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
    managers = list(User.objects.filter(username__startswith=f"{prefix}-manager-").order_by("username"))
    stats.add("users", len(people) + len(managers))
    stats.add("display names", insert_rows(Profile, ["user_id", "display_name"], (
        (person.pk, f"{names.choice(FIRST_NAMES)} {names.choice(LAST_NAMES)}")
        for person in people
        if names.random() < WITH_DISPLAY_NAME
    )))  # fmt: skip

    team_rows = Team.objects.bulk_create(
        [Team(name=f"Load team {t:02d}", slug=f"{prefix}-team-{t:02d}",
              invite_code=f"{prefix}-{seed}-{t:02d}-{rng.getrandbits(64):016x}")
         for t in range(1, teams + 1)]
    )
    team_rows = list(Team.objects.filter(slug__startswith=f"{prefix}-team-").order_by("slug"))
    _assign(team_rows, courses, now=now)
    memberships = [
        (team_rows[t].pk, manager.pk, Membership.Role.MANAGER)
        for t, manager in enumerate(managers)
    ] + [
        (team_rows[i % teams].pk, person.pk, Membership.Role.MEMBER)
        for i, person in enumerate(people)
    ]
    if everyone:
        memberships += _everyone_team(prefix=prefix, people=people, courses=courses, password=password, now=now)
        stats.add("users", 1)
        stats.add("teams", 1)
    joined = now - timedelta(days=ASSIGNED_DAYS_AGO)
    insert_rows(Membership, ["team_id", "user_id", "role", "joined_at"],
                (row + (joined,) for row in memberships))  # fmt: skip
    stats.add("teams", len(team_rows))

    enrollments, completions, attempts, pending_responses, predictions = [], [], [], [], []
    quizzes_by_course = {}
    for quiz in quizzes:
        quizzes_by_course.setdefault(quiz.course_id, []).append(quiz)
    questions_of = {quiz.pk: list(quiz.questions.all()) for quiz in quizzes}
    difficulty = {q.pk: rng.uniform(-0.25, 0.3) for quiz in quizzes for q in quiz.questions.all()}

    # Rows as tuples in the column order of the insert_rows calls below.
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
                completions.append((person.pk, lesson.pk, min(moment, now)))
            last = lessons[done - 1] if done else (lessons[0] if lessons else None)
            enrollments.append((person.pk, course.pk, last.pk if last else None, min(moment, now),
                                now - timedelta(days=started_days_ago)))  # fmt: skip
            if not lessons or done < len(lessons) // 2:
                continue
            for quiz in quizzes_by_course.get(course.pk, []):
                questions = questions_of[quiz.pk]
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
                    submitted = min(moment, now)
                    attempts.append((person.pk, quiz.pk, submitted - timedelta(minutes=12), submitted,
                                     [q.pk for q in questions], score, total, percent,
                                     has_passed(score, total, quiz.pass_percent)))  # fmt: skip
                    pending_responses.append((person.pk, submitted, answers))
        for cell in cells:
            if rng.random() > 0.3 + 0.6 * engagement:
                continue
            right = rng.random() < 0.35 + 0.5 * ability
            wrong = [w for w in Winner.values if w != cell.winner]
            predicted = cell.winner if right else rng.choice(wrong)
            predictions.append((person.pk, cell.pk, predicted, right, True,
                                now - timedelta(days=rng.randint(0, started_days_ago))))  # fmt: skip

    insert_rows(Enrollment, ["user_id", "course_id", "last_lesson_id", "last_seen_at", "enrolled_at"], enrollments)
    insert_rows(LessonCompletion, ["user_id", "lesson_id", "completed_at"], completions)
    before = last_pk(Attempt)
    insert_rows(Attempt, ["user_id", "quiz_id", "started_at", "submitted_at", "question_order", "score",
                          "total", "percent", "passed"], attempts)  # fmt: skip
    attempt_ids = new_pks(Attempt, after=before)
    insert_rows(MatrixPrediction, ["user_id", "cell_id", "predicted", "is_correct", "is_first", "created_at"],
                predictions)  # fmt: skip

    before = last_pk(Response)
    responses = insert_rows(Response, ["attempt_id", "question_id", "is_correct"], (
        (attempt_id, question.pk, right)
        for attempt_id, (_, _, answers) in zip(attempt_ids, pending_responses, strict=True)
        for question, right, _ in answers
    ))  # fmt: skip
    picked = [choices for _, _, answers in pending_responses for _, _, choices in answers]
    chosen = insert_rows(Response.chosen.through, ["response_id", "choice_id"], (
        (response_id, choice.pk)
        for response_id, choices in zip(new_pks(Response, after=before), picked, strict=True)
        for choice in choices
    ))  # fmt: skip
    cards, reviews = cards_from_history(
        (user_id, question.pk, right, "", submitted)
        for user_id, submitted, answers in pending_responses
        for question, right, _ in answers
    )

    stats.add("enrollments", len(enrollments))
    stats.add("lesson completions", len(completions))
    stats.add("quiz attempts", len(attempts))
    stats.add("responses", responses)
    stats.add("chosen answers", chosen)
    stats.add("matrix predictions", len(predictions))
    stats.add("review cards", cards)
    stats.add("review logs", reviews)
    return stats


def _assign(teams, courses, *, now) -> None:
    """Assign every course to every team, 100 days ago; the first course is overdue for two
    teams in three, the second due in five days, the rest have no due date."""
    today = timezone.localdate(now)
    rows = []
    for number, team in enumerate(teams):
        for position, course in enumerate(courses):
            due_on = None
            if position == 0 and number % 3 != 2:
                due_on = today - timedelta(days=7)
            elif position == 1:
                due_on = today + timedelta(days=5)
            rows.append(Assignment(team=team, course=course, due_on=due_on,
                                   assigned_at=now - timedelta(days=ASSIGNED_DAYS_AGO)))  # fmt: skip
    Assignment.objects.bulk_create(rows)


def _everyone_team(*, prefix: str, people, courses, password: str, now) -> list[tuple]:
    """A team of every learner with its own manager; returns the memberships to insert as
    (team id, user id, role)."""
    User = get_user_model()
    manager = User.objects.create(
        username=f"{prefix}-manager-everyone", email=f"{prefix}-manager-everyone@example.com",
        first_name="Manager", last_name="Everyone", password=password,
    )
    team = Team.objects.create(name="Load cohort (everyone)", slug=f"{prefix}-everyone",
                               invite_code=f"{prefix}-everyone-invite")
    _assign([team], courses, now=now)
    return [(team.pk, manager.pk, Membership.Role.MANAGER)] + [
        (team.pk, person.pk, Membership.Role.MEMBER) for person in people
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

