"""Quizzes as files: ``<root>/<course-slug>/quiz-<quiz-slug>.toml``, as content/README.md gives.

Registered with ``core.content`` in ``QuizzesConfig.ready`` with order 40, after courses
and lessons, because a quiz names its course by folder and may name the lesson it follows.

Loading creates or updates a quiz by slug. Questions and choices are matched by position and
updated in place, so learners' past responses survive an edit of the wording; questions or
choices that the file no longer has are deleted. A file is checked completely (keys, types,
the choice rules of ``quizzes.validation``, the model's own field rules) before anything is
written, and every problem is a ContentError naming the file. The writes need no transaction
of their own: ``core.content.load_tree`` runs every handler inside one. Export writes the keys
in one fixed order, so exporting twice gives identical bytes.

A question's ``objectives`` list names objectives of the quiz's course by key (lessons, which
hold them, load first); an unknown key is an error naming the file, the question and the key.
Export writes the list after ``explanation`` in the course's objective order, and leaves it
out when empty.
"""

import re
from pathlib import Path

from core.content_files import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ContentError,
    Key,
    LoadStats,
    apply_values,
    check_model,
    checked_table,
    find_or_build,
    read_toml,
    toml_text,
    write_text,
)
from courses.models import Course
from lessons.content_files import objective_keys, resolve_objectives, tag_keys
from lessons.models import Lesson

from .models import Choice, Question, Quiz
from .validation import choice_problems, draw_problems, publish_problems

QUIZ_FILE = re.compile(r"^quiz-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.toml$")
# The order here is the order export writes them in.
QUIZ_KEYS = {
    "title": Key(str),
    "lesson": Key(str, default=""),
    "order": Key(int, default=0),
    "pass_percent": Key(int, default=70),
    "max_attempts": Key(int, default=0),
    "retry_wait_minutes": Key(int, default=0),
    "mode": Key(str, default=Quiz.Mode.EXAM.value),
    "shuffle": Key(bool, default=True),
    "draw": Key(int, default=None),
    "is_published": Key(bool, default=False),
    "description": Key(str, default=""),
    "questions": Key(list, default=[]),
}
QUESTION_KEYS = {
    "kind": Key(str),
    "prompt": Key(str),
    "explanation": Key(str),
    "objectives": Key(list, default=[]),
    "choices": Key(list),
}
CHOICE_KEYS = {
    "text": Key(str),
    "correct": Key(bool, default=False),
    "feedback": Key(str, default=""),
}
# Relations are set only when the rows are written, after every check has passed.
UNSAVED_RELATIONS = ["quiz", "question", "course", "lesson"]


def _check_model(path: Path, where: str, instance) -> None:
    check_model(path, instance, where=where, exclude=UNSAVED_RELATIONS)


def parse_quiz(path: Path, course: Course, lessons: dict[str, Lesson]) -> dict:
    """Read and check one quiz file; return its quiz, question and choice field values."""
    data = checked_table(path, read_toml(path), QUIZ_KEYS)
    slug = QUIZ_FILE.match(path.name)["slug"]
    lesson = None
    if data["lesson"]:
        lesson = lessons.get(data["lesson"])
        if lesson is None:
            raise ContentError(
                path, f"'lesson': course '{course.slug}' has no lesson '{data['lesson']}'"
            )
    quiz_values = {
        "course_id": course.pk,
        "lesson_id": lesson.pk if lesson else None,
        "title": data["title"],
        "order": data["order"],
        "pass_percent": data["pass_percent"],
        "max_attempts": data["max_attempts"],
        "retry_wait_minutes": data["retry_wait_minutes"],
        "mode": data["mode"],
        "shuffle": data["shuffle"],
        "draw_count": data["draw"],
        "is_published": data["is_published"],
        "description": data["description"],
    }
    if data["mode"] not in Quiz.Mode.values:
        raise ContentError(
            path, f"'mode' must be one of {', '.join(Quiz.Mode.values)}, not {data['mode']!r}"
        )
    _check_model(path, "", Quiz(slug=slug, **quiz_values))
    if len(data["questions"]) > Quiz.MAX_QUESTIONS:
        raise ContentError(path, f"a quiz has at most {Quiz.MAX_QUESTIONS} questions")
    questions = []
    for number, raw in enumerate(data["questions"], start=1):
        where = f"question {number}: "
        question = checked_table(path, raw, QUESTION_KEYS, where=where)
        if question["kind"] not in Question.Kind.values:
            raise ContentError(
                path,
                f"{where}'kind' must be one of {', '.join(Question.Kind.values)}, "
                f"not {question['kind']!r}",
            )
        choices = [
            checked_table(path, choice, CHOICE_KEYS, where=f"{where}choice {index}: ")
            for index, choice in enumerate(question["choices"], start=1)
        ]
        problems = choice_problems(question["kind"], [choice["correct"] for choice in choices])
        if problems:
            raise ContentError(path, where + " ".join(problems))
        question_values = {
            "order": number,
            "kind": question["kind"],
            "prompt": question["prompt"],
            "explanation": question["explanation"],
        }
        _check_model(path, where, Question(**question_values))
        question_values["objectives"] = resolve_objectives(
            path, course, objective_keys(path, question["objectives"], where=where), where=where
        )
        choice_values = []
        for index, choice in enumerate(choices, start=1):
            values = {
                "order": index,
                "text": choice["text"],
                "is_correct": choice["correct"],
                "feedback": choice["feedback"],
            }
            _check_model(path, f"{where}choice {index}: ", Choice(**values))
            choice_values.append(values)
        questions.append((question_values, choice_values))
    problems = draw_problems(data["draw"], len(questions))
    if problems:
        raise ContentError(path, "'draw': " + " ".join(problems))
    if data["is_published"]:
        problems = publish_problems(
            [(values["kind"], [c["is_correct"] for c in choices]) for values, choices in questions]
        )
        if problems:
            raise ContentError(path, " ".join(problems))
    return {"slug": slug, "quiz": quiz_values, "questions": questions}


def _sync_children(existing: list, wanted: list[dict], make) -> tuple[list, list[str], bool]:
    """Match existing rows to wanted values by position.

    Returns the rows (saved, in order), each one's outcome (created, updated, unchanged), and
    whether surplus rows were deleted.
    """
    rows, outcomes = [], []
    for index, values in enumerate(wanted):
        if index < len(existing):
            row = existing[index]
            if apply_values(row, values):
                row.save()
                outcomes.append(UPDATED)
            else:
                outcomes.append(UNCHANGED)
        else:
            row = make(values)
            row.save()
            outcomes.append(CREATED)
        rows.append(row)
    surplus = existing[len(wanted) :]
    for row in surplus:
        row.delete()
    return rows, outcomes, bool(surplus)


def save_quiz(spec: dict, stats: LoadStats) -> Quiz:
    """Create or update one quiz, its questions and their choices from a parsed file."""
    quiz, outcome = find_or_build(Quiz, {"slug": spec["slug"]}, spec["quiz"])
    if outcome == CREATED:
        quiz.save()  # now, for its questions to point at; an update is saved last
    existing = list(quiz.questions.prefetch_related("choices", "objectives")) if quiz.pk else []
    wanted = [
        {name: value for name, value in values.items() if name != "objectives"}
        for values, _choices in spec["questions"]
    ]
    questions, question_outcomes, removed = _sync_children(
        existing, wanted, lambda values: Question(quiz=quiz, **values)
    )
    for question, question_outcome, (values, choices) in zip(
        questions, question_outcomes, spec["questions"], strict=True
    ):
        tags = {objective.pk for objective in values["objectives"]}
        if question_outcome == CREATED or tags != {o.pk for o in question.objectives.all()}:
            question.objectives.set(values["objectives"])
            if question_outcome == UNCHANGED:
                question_outcome = UPDATED
        current = list(question.choices.all()) if question_outcome != CREATED else []
        _rows, choice_outcomes, choices_removed = _sync_children(
            current, choices, lambda values, question=question: Choice(question=question, **values)
        )
        for choice_outcome in choice_outcomes:
            stats.record("choices", choice_outcome)
        if choices_removed and question_outcome == UNCHANGED:
            question_outcome = UPDATED
        stats.record("questions", question_outcome)
    if removed and outcome == UNCHANGED:
        outcome = UPDATED
    if outcome == UPDATED:
        quiz.save()
    stats.record("quizzes", outcome)
    return quiz


def quiz_files(root: Path) -> list[Path]:
    """Every ``<course>/quiz-*.toml`` under ``root``, in a stable order."""
    return sorted(path for path in Path(root).glob("*/quiz-*.toml") if path.is_file())


def load_quizzes(root: Path, stats: LoadStats) -> None:
    files = quiz_files(root)
    for path in Path(root).glob("*/quiz*.toml"):
        if not QUIZ_FILE.match(path.name):
            raise ContentError(path, "quiz files are named quiz-<slug>.toml, e.g. quiz-basics.toml")
    folders = {path.parent.name for path in files}
    courses = {course.slug: course for course in Course.objects.filter(slug__in=folders)}
    lessons: dict[str, dict[str, Lesson]] = {}
    for lesson in Lesson.objects.filter(course__slug__in=folders).select_related("course"):
        lessons.setdefault(lesson.course.slug, {})[lesson.slug] = lesson
    seen: dict[str, Path] = {}
    specs = []
    for path in files:
        course = courses.get(path.parent.name)
        if course is None:
            raise ContentError(
                path, f"there is no course '{path.parent.name}' (is its course.toml missing?)"
            )
        spec = parse_quiz(path, course, lessons.get(course.slug, {}))
        if spec["slug"] in seen:
            raise ContentError(
                path, f"the quiz slug '{spec['slug']}' is also used by {seen[spec['slug']]}"
            )
        seen[spec["slug"]] = path
        specs.append(spec)
    for spec in specs:
        save_quiz(spec, stats)


def quiz_text(quiz: Quiz) -> str:
    """The TOML for one quiz, with its questions and choices, in the fixed key order."""
    header = {
        "title": quiz.title,
        "lesson": quiz.lesson.slug if quiz.lesson else None,  # None: left out of the file
        "order": quiz.order,
        "pass_percent": quiz.pass_percent,
        "max_attempts": quiz.max_attempts,
        "retry_wait_minutes": quiz.retry_wait_minutes,
        "mode": quiz.mode,
        "shuffle": quiz.shuffle,
        "draw": quiz.draw_count,  # None: left out of the file
        "is_published": quiz.is_published,
        "description": quiz.description or None,
    }
    parts = [toml_text(header)]
    for question in quiz.questions.all():
        parts.append("\n[[questions]]\n")
        parts.append(
            toml_text(
                {
                    "kind": question.kind,
                    "prompt": question.prompt,
                    "explanation": question.explanation,
                    "objectives": tag_keys(question.objectives.all()),
                }
            )
        )
        for choice in question.choices.all():
            parts.append("\n[[questions.choices]]\n")
            parts.append(
                toml_text(
                    {"text": choice.text, "correct": choice.is_correct, "feedback": choice.feedback}
                )
            )
    return "".join(parts)


def export_quizzes(root: Path) -> None:
    quizzes = (
        Quiz.objects.select_related("course", "lesson")
        .prefetch_related("questions__choices", "questions__objectives__lesson")
        .order_by("course__slug", "slug")
    )
    for quiz in quizzes:
        write_text(Path(root) / quiz.course.slug / f"quiz-{quiz.slug}.toml", quiz_text(quiz))
