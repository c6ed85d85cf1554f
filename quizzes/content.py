"""Quizzes as files: ``<root>/<course-slug>/quiz-<quiz-slug>.toml``, as content/README.md gives.

Registered with ``courses.content`` in ``QuizzesConfig.ready`` with order 40, after courses
and lessons, because a quiz names its course by folder and may name the lesson it follows.

Loading creates or updates a quiz by slug. Questions and choices are matched by position and
updated in place, so learners' past responses survive an edit of the wording; questions or
choices that the file no longer has are deleted. A file is checked completely (keys, types,
the choice rules of ``quizzes.validation``, the model's own field rules) before anything is
written, and every problem is a ContentError naming the file. Export writes the keys in one
fixed order, so exporting twice gives identical bytes.
"""

import re
from pathlib import Path

import tomli_w
from django.core.exceptions import ValidationError
from django.db import transaction

from courses.content import ContentError, LoadStats, read_toml
from courses.models import Course
from lessons.models import Lesson

from .models import Choice, Question, Quiz
from .validation import choice_problems, publish_problems

QUIZ_FILE = re.compile(r"^quiz-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.toml$")
# Key -> (type, required, default); the order here is the order export writes them in.
QUIZ_KEYS = {
    "title": (str, True, None),
    "lesson": (str, False, ""),
    "order": (int, False, 0),
    "pass_percent": (int, False, 70),
    "max_attempts": (int, False, 0),
    "shuffle": (bool, False, False),
    "is_published": (bool, False, False),
    "description": (str, False, ""),
    "questions": (list, False, []),
}
QUESTION_KEYS = {
    "kind": (str, True, None),
    "prompt": (str, True, None),
    "explanation": (str, True, None),
    "choices": (list, True, None),
}
CHOICE_KEYS = {
    "text": (str, True, None),
    "correct": (bool, False, False),
    "feedback": (str, False, ""),
}
TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list"}


def _checked(path: Path, where: str, data, keys: dict) -> dict:
    """The values a TOML table sets, with defaults filled in, after checking keys and types."""
    if not isinstance(data, dict):
        raise ContentError(path, f"{where}must be a table")
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ContentError(
            path, f"{where}unknown key(s) {', '.join(unknown)}; expected {', '.join(keys)}"
        )
    values = {}
    for key, (kind, required, default) in keys.items():
        if key not in data:
            if required:
                raise ContentError(path, f"{where}'{key}' is missing")
            values[key] = default
            continue
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ContentError(path, f"{where}'{key}' must be {TYPE_NAMES[kind]}, not {value!r}")
        values[key] = value
    return values


def _full_clean(path: Path, where: str, instance) -> None:
    try:
        instance.full_clean(
            exclude=["quiz", "question", "course", "lesson"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise ContentError(path, f"{where}{problems}") from error


def parse_quiz(path: Path, course: Course, lessons: dict[str, Lesson]) -> dict:
    """Read and check one quiz file; return its quiz, question and choice field values."""
    data = _checked(path, "", read_toml(path), QUIZ_KEYS)
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
        "shuffle": data["shuffle"],
        "is_published": data["is_published"],
        "description": data["description"],
    }
    _full_clean(path, "", Quiz(slug=slug, **quiz_values))
    if len(data["questions"]) > Quiz.MAX_QUESTIONS:
        raise ContentError(path, f"a quiz has at most {Quiz.MAX_QUESTIONS} questions")
    questions = []
    for number, raw in enumerate(data["questions"], start=1):
        where = f"question {number}: "
        question = _checked(path, where, raw, QUESTION_KEYS)
        if question["kind"] not in Question.Kind.values:
            raise ContentError(
                path,
                f"{where}'kind' must be one of {', '.join(Question.Kind.values)}, "
                f"not {question['kind']!r}",
            )
        choices = [
            _checked(path, f"{where}choice {index}: ", choice, CHOICE_KEYS)
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
        _full_clean(path, where, Question(**question_values))
        choice_values = []
        for index, choice in enumerate(choices, start=1):
            values = {
                "order": index,
                "text": choice["text"],
                "is_correct": choice["correct"],
                "feedback": choice["feedback"],
            }
            _full_clean(path, f"{where}choice {index}: ", Choice(**values))
            choice_values.append(values)
        questions.append((question_values, choice_values))
    if data["is_published"]:
        problems = publish_problems(
            [(values["kind"], [c["is_correct"] for c in choices]) for values, choices in questions]
        )
        if problems:
            raise ContentError(path, " ".join(problems))
    return {"slug": slug, "quiz": quiz_values, "questions": questions}


def _apply(instance, values: dict) -> bool:
    """Set ``values`` on ``instance``; whether anything differed."""
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    for key in changed:
        setattr(instance, key, values[key])
    return bool(changed)


def _sync_children(existing: list, wanted: list[dict], make) -> tuple[list, list[str], bool]:
    """Match existing rows to wanted values by position.

    Returns the rows (saved, in order), each one's outcome (created, updated, unchanged), and
    whether surplus rows were deleted.
    """
    rows, outcomes = [], []
    for index, values in enumerate(wanted):
        if index < len(existing):
            row = existing[index]
            if _apply(row, values):
                row.save()
                outcomes.append("updated")
            else:
                outcomes.append("unchanged")
        else:
            row = make(values)
            row.save()
            outcomes.append("created")
        rows.append(row)
    surplus = existing[len(wanted) :]
    for row in surplus:
        row.delete()
    return rows, outcomes, bool(surplus)


def save_quiz(spec: dict, stats: LoadStats) -> Quiz:
    """Create or update one quiz, its questions and their choices from a parsed file."""
    quiz = Quiz.objects.filter(slug=spec["slug"]).first()
    if quiz is None:
        quiz = Quiz(slug=spec["slug"], **spec["quiz"])
        quiz.save()
        outcome = "created"
    else:
        outcome = "updated" if _apply(quiz, spec["quiz"]) else "unchanged"
    existing = list(quiz.questions.prefetch_related("choices")) if quiz.pk else []
    wanted = [values for values, _choices in spec["questions"]]
    questions, question_outcomes, removed = _sync_children(
        existing, wanted, lambda values: Question(quiz=quiz, **values)
    )
    for question, question_outcome, (_values, choices) in zip(
        questions, question_outcomes, spec["questions"], strict=True
    ):
        current = list(question.choices.all()) if question_outcome != "created" else []
        _rows, choice_outcomes, choices_removed = _sync_children(
            current, choices, lambda values, question=question: Choice(question=question, **values)
        )
        for choice_outcome in choice_outcomes:
            stats.record("choices", choice_outcome)
        if choices_removed and question_outcome == "unchanged":
            question_outcome = "updated"
        stats.record("questions", question_outcome)
    if removed and outcome == "unchanged":
        outcome = "updated"
    if outcome == "updated":
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
    with transaction.atomic():
        for spec in specs:
            save_quiz(spec, stats)


def _toml(values: dict) -> str:
    clean = {
        key: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for key, value in values.items()
    }
    return tomli_w.dumps(clean, multiline_strings=True)


def quiz_text(quiz: Quiz) -> str:
    """The TOML for one quiz, with its questions and choices, in the fixed key order."""
    header = {
        "title": quiz.title,
        "lesson": quiz.lesson.slug if quiz.lesson else "",
        "order": quiz.order,
        "pass_percent": quiz.pass_percent,
        "max_attempts": quiz.max_attempts,
        "shuffle": quiz.shuffle,
        "is_published": quiz.is_published,
        "description": quiz.description,
    }
    for optional in ("lesson", "description"):
        if not header[optional]:
            del header[optional]
    parts = [_toml(header)]
    for question in quiz.questions.all():
        parts.append("\n[[questions]]\n")
        parts.append(
            _toml(
                {
                    "kind": question.kind,
                    "prompt": question.prompt,
                    "explanation": question.explanation,
                }
            )
        )
        for choice in question.choices.all():
            parts.append("\n[[questions.choices]]\n")
            parts.append(
                _toml(
                    {"text": choice.text, "correct": choice.is_correct, "feedback": choice.feedback}
                )
            )
    return "".join(parts)


def export_quizzes(root: Path) -> None:
    quizzes = (
        Quiz.objects.select_related("course", "lesson")
        .prefetch_related("questions__choices")
        .order_by("course__slug", "slug")
    )
    for quiz in quizzes:
        path = Path(root) / quiz.course.slug / f"quiz-{quiz.slug}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(quiz_text(quiz), encoding="utf-8", newline="\n")
