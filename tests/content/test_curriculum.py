"""The curriculum in content/ keeps its shape: three tracks, enough lessons, sound quizzes.

Two layers of checks. The raw-file tests read content/ with tomllib and run without the
database, so a writer can check their own track on its own. The loaded tests put content/ into
an empty database with ``load_content`` and check the same rules on the rows the site serves,
so the curriculum cannot silently shrink or lose its feedback.
"""

import math
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CONTENT = Path(settings.BASE_DIR) / "content"
SOURCE = Path(settings.BASE_DIR).parent / "shared" / "source" / "article-generalist-vs-specialist.txt"
# The article sits beside the repository in the team's workspace and in CI, not in a clone.
needs_source = pytest.mark.skipif(not SOURCE.exists(), reason=f"source article not found at {SOURCE}")

TRACKS = ("clinical-documentation-ai", "medical-imaging-ai", "ai-diagnostics")
MIN_LESSONS = 5
MIN_WORDS, MAX_WORDS = 400, 900
MIN_OBJECTIVES, MAX_OBJECTIVES = 2, 4
MIN_QUESTIONS = 10
KINDS = {"single", "multiple", "true_false"}
MATRIX_SLUG = "base-strength"
MATRIX_EMBED = f"[[matrix:{MATRIX_SLUG}]]"
# The longest run of consecutive words a lesson or quiz may share with the source article.
MAX_SHARED_RUN = 9
# Reading speed band used to judge estimated_minutes: between 120 and 250 words a minute.
SLOW_WPM, FAST_WPM = 120, 250

# The verdicts the decision-matrix issue specifies: (row label, column key) -> verdict.
MATRIX_VERDICTS = {
    ("Domain coverage", "weak"): "Fine-tune wins",
    ("Domain coverage", "strong"): "Marginal gain",
    ("Output format", "weak"): "Fine-tune wins",
    ("Output format", "strong"): "Prompting works",
    ("Regulatory audit", "weak"): "Fine-tune wins",
    ("Regulatory audit", "strong"): "Fine-tune wins",
    ("Reasoning breadth", "weak"): "No difference",
    ("Reasoning breadth", "strong"): "Generalist wins",
}

LESSON_NAME = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


# --- helpers: plain functions on text, shared by both layers ---------------------------------


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split a lesson file into its TOML front matter (between ``+++`` lines) and its body."""
    lines = text.splitlines(keepends=True)
    assert lines and lines[0].strip() == "+++", "a lesson must start with a +++ line"
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "+++":
            meta = tomllib.loads("".join(lines[1:index]))
            return meta, "".join(lines[index + 1 :])
    raise AssertionError("the front matter has no closing +++ line")


def word_count(body: str) -> int:
    return len(body.split())


def section(body: str, heading: str) -> str | None:
    """The text under ``## heading`` up to the next level-2 heading, or None if absent."""
    match = re.search(rf"^## {re.escape(heading)}[ \t]*$(.*?)(?=^## |\Z)", body, re.M | re.S)
    return match.group(1) if match else None


def bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^[-*] \S", line)]


def lesson_problems(meta: dict, body: str) -> list[str]:
    """Every way a published lesson breaks the curriculum rules, as readable messages."""
    problems = []
    words = word_count(body)
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(f"{words} words, outside {MIN_WORDS}-{MAX_WORDS}")
    objectives = section(body, "Learning objectives")
    if objectives is None:
        problems.append("no '## Learning objectives' section")
    elif not MIN_OBJECTIVES <= len(bullets(objectives)) <= MAX_OBJECTIVES:
        problems.append(f"{len(bullets(objectives))} learning objectives")
    first_heading = re.search(r"^#+ .*$", body, re.M)
    if first_heading is None or first_heading.group(0).strip() != "## Learning objectives":
        problems.append("does not open with '## Learning objectives'")
    takeaways = section(body, "Key takeaways")
    if takeaways is None or not bullets(takeaways):
        problems.append("no '## Key takeaways' section with bullets")
    headings = re.findall(r"^## .*$", body, re.M)
    if not headings or headings[-1].strip() != "## Key takeaways":
        problems.append("does not close with '## Key takeaways'")
    if re.search(r"^# ", body, re.M):
        problems.append("uses a level-1 heading (the page title is the h1)")
    if not isinstance(meta.get("reviewed_on"), date):
        problems.append("reviewed_on is not set")
    if not str(meta.get("sources", "")).strip():
        problems.append("sources is empty")
    return problems


def question_problems(question: dict) -> list[str]:
    """Every way a quiz question breaks the rules; ``question`` uses the file's key names."""
    problems = []
    kind, choices = question.get("kind"), question.get("choices", [])
    right = [choice for choice in choices if choice.get("correct")]
    if kind not in KINDS:
        problems.append(f"unknown kind {kind!r}")
    if not str(question.get("explanation", "")).strip():
        problems.append("no explanation")
    if any(not str(choice.get("feedback", "")).strip() for choice in choices):
        problems.append("a choice has no feedback")
    if kind == "true_false":
        if sorted(choice["text"] for choice in choices) != ["False", "True"]:
            problems.append("true_false choices are not exactly True and False")
        if len(right) != 1:
            problems.append("true_false needs exactly one right choice")
    if kind == "single" and len(right) != 1:
        problems.append(f"single has {len(right)} right choices")
    if kind == "multiple" and (not right or len(right) == len(choices)):
        problems.append("multiple needs some right and some wrong choices")
    return problems


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


def source_runs(length: int) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words in the article, less its title and table.

    Lessons cite the article by its title, and the table's labels are the matrix verdicts
    themselves, so both may rightly be repeated.
    """
    _title, _, text = SOURCE.read_text(encoding="utf-8").strip().partition("\n")
    text = re.sub(r"Condition Weak base.*?Generalist wins", " ", text, flags=re.S)
    words = words_of(text)
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def shared_runs(text: str, runs: set[tuple[str, ...]], length: int) -> list[str]:
    words = words_of(text)
    return [
        " ".join(words[i : i + length])
        for i in range(len(words) - length + 1)
        if tuple(words[i : i + length]) in runs
    ]


def lesson_files(track: str | None = None) -> list[Path]:
    folders = [CONTENT / track] if track else sorted(p for p in CONTENT.iterdir() if p.is_dir())
    return sorted(path for folder in folders for path in folder.glob("*.md"))


def quiz_files(track: str | None = None) -> list[Path]:
    folders = [CONTENT / track] if track else sorted(p for p in CONTENT.iterdir() if p.is_dir())
    return sorted(path for folder in folders for path in folder.glob("quiz-*.toml"))


def toml_files() -> list[Path]:
    return sorted(CONTENT.glob("*/*.toml"))


def test_helpers_catch_a_broken_lesson():
    body = "# Title\n\nToo short.\n\n## Key takeaways\n\n- one\n"
    problems = lesson_problems({"sources": ""}, body)
    assert "no '## Learning objectives' section" in problems
    assert "reviewed_on is not set" in problems
    assert "sources is empty" in problems
    assert any(problem.endswith("outside 400-900") for problem in problems)
    assert "uses a level-1 heading (the page title is the h1)" in problems


def test_helpers_catch_a_broken_question():
    question = {
        "kind": "true_false",
        "choices": [{"text": "Yes", "correct": True, "feedback": "x"}, {"text": "No"}],
    }
    problems = question_problems(question)
    assert "no explanation" in problems
    assert "a choice has no feedback" in problems
    assert "true_false choices are not exactly True and False" in problems


@needs_source
def test_helpers_find_a_copied_run():
    runs = source_runs(MAX_SHARED_RUN + 1)
    copied = (
        "Fine-tuning on a narrow corpus can cause catastrophic forgetting, "
        "where the model loses general reasoning ability."
    )
    assert shared_runs(copied, runs, MAX_SHARED_RUN + 1)
    assert not shared_runs("Narrow training can make a model forget what it knew.", runs, 10)


# --- raw files: these run without the loader ------------------------------------------------


@pytest.mark.parametrize("path", lesson_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lesson_file_parses(path):
    assert LESSON_NAME.match(path.name), f"{path.name} is not NN-<slug>.md"
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert str(meta.get("title", "")).strip()
    assert isinstance(meta.get("order"), int)
    assert meta.get("status") in {"draft", "published"}
    assert isinstance(meta.get("estimated_minutes"), int)
    assert body.strip()


@pytest.mark.parametrize("path", toml_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_toml_file_parses(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert str(data.get("title", "")).strip()


@pytest.mark.parametrize("track", TRACKS)
def test_track_files_meet_the_curriculum_rules(track):
    course = tomllib.loads((CONTENT / track / "course.toml").read_text(encoding="utf-8"))
    assert course["is_published"] is True
    assert str(course["summary"]).strip()

    published = []
    for path in lesson_files(track):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        if meta["status"] != "published":
            continue
        published.append(body)
        assert lesson_problems(meta, body) == [], path.name
        words = word_count(body)
        minutes = meta["estimated_minutes"]
        assert math.ceil(words / FAST_WPM) <= minutes <= math.ceil(words / SLOW_WPM), path.name
    assert len(published) >= MIN_LESSONS, f"{track} has {len(published)} published lessons"
    assert any(MATRIX_EMBED in body.splitlines() for body in published), f"{track}: no matrix"

    slugs = {LESSON_NAME.match(path.name).group(2) for path in lesson_files(track)}
    quizzes = [tomllib.loads(p.read_text(encoding="utf-8")) for p in quiz_files(track)]
    for quiz in quizzes:
        assert quiz.get("lesson", next(iter(slugs))) in slugs, f"{quiz['title']}: unknown lesson"
        for number, question in enumerate(quiz.get("questions", []), start=1):
            assert question_problems(question) == [], f"{quiz['title']} question {number}"
    assert any(
        quiz.get("is_published")
        and len(quiz["questions"]) >= MIN_QUESTIONS
        and {question["kind"] for question in quiz["questions"]} == KINDS
        for quiz in quizzes
    ), f"{track} has no published quiz of {MIN_QUESTIONS}+ questions of every kind"


@pytest.mark.parametrize(
    "path", lesson_files() + quiz_files(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
@needs_source
def test_no_long_verbatim_run_from_the_source(path):
    runs = source_runs(MAX_SHARED_RUN + 1)
    assert shared_runs(path.read_text(encoding="utf-8"), runs, MAX_SHARED_RUN + 1) == []


# --- loaded into an empty database ----------------------------------------------------------


@pytest.fixture
def loaded(db):
    call_command("load_content", str(CONTENT))


@pytest.mark.usefixtures("loaded")
def test_three_published_tracks_load():
    from courses.models import Course

    published = Course.objects.filter(is_published=True)
    assert sorted(published.values_list("slug", flat=True)) == sorted(TRACKS)


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("track", TRACKS)
def test_loaded_lessons_meet_the_curriculum_rules(track):
    from lessons.models import Lesson

    lessons = list(Lesson.objects.filter(course__slug=track, status=Lesson.Status.PUBLISHED))
    assert len(lessons) >= MIN_LESSONS
    for lesson in lessons:
        meta = {"reviewed_on": lesson.reviewed_on, "sources": lesson.sources}
        assert lesson_problems(meta, lesson.body) == [], lesson.slug
        assert lesson.body_html.strip() and "+++" not in lesson.body
    assert any(MATRIX_EMBED in lesson.body.splitlines() for lesson in lessons)


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("track", TRACKS)
def test_loaded_quizzes_meet_the_curriculum_rules(track):
    from quizzes.models import Quiz

    quizzes = Quiz.objects.filter(course__slug=track).prefetch_related("questions__choices")
    full = []
    for quiz in quizzes:
        questions = list(quiz.questions.all())
        for question in questions:
            as_file = {
                "kind": question.kind,
                "explanation": question.explanation,
                "choices": [
                    {"text": c.text, "correct": c.is_correct, "feedback": c.feedback}
                    for c in question.choices.all()
                ],
            }
            assert question_problems(as_file) == [], f"{quiz.slug}: {question.prompt[:60]}"
        kinds = {question.kind for question in questions}
        if quiz.is_published and len(questions) >= MIN_QUESTIONS and kinds == KINDS:
            full.append(quiz)
    assert full, f"{track} has no published quiz of {MIN_QUESTIONS}+ questions of every kind"


@pytest.mark.usefixtures("loaded")
def test_loaded_matrix_has_the_specified_verdicts():
    from matrix.models import DecisionMatrix, MatrixCell

    matrix = DecisionMatrix.objects.get(slug=MATRIX_SLUG)
    assert list(matrix.columns.values_list("key", flat=True)) == ["weak", "strong"]
    assert list(matrix.rows.values_list("label", flat=True)) == [
        "Domain coverage",
        "Output format",
        "Regulatory audit",
        "Reasoning breadth",
    ]
    cells = MatrixCell.objects.filter(row__matrix=matrix).select_related("row", "column")
    verdicts = {(cell.row.label, cell.column.key): cell.verdict for cell in cells}
    assert verdicts == MATRIX_VERDICTS
    assert all(cell.explanation.strip() for cell in cells)
