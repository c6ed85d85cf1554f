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
MIN_WORDS, MAX_WORDS = 500, 1100
MIN_OBJECTIVES, MAX_OBJECTIVES = 2, 4
MIN_QUESTIONS = 20
MIN_BLOCKS_PER_LESSON = 2
KINDS = {"single", "multiple", "true_false"}
MATRIX_SLUG = "base-strength"
MATRIX_EMBED = f"[[matrix:{MATRIX_SLUG}]]"
# The longest run of consecutive words a lesson or quiz may share with the source article.
MAX_SHARED_RUN = 9
# Reading time (content/README.md): prose words / 200 rounded up, plus 1 minute per check or
# predict block and 2 per matrix embed.
WORDS_PER_MINUTE = 200
MINUTES_PER_BLOCK, MINUTES_PER_MATRIX = 1, 2
# One definition of distribution shift, word for word, wherever a lesson defines it.
SHIFT_DEFINITION = (
    "the cases a model meets in use differ from the cases it was trained and tested on"
)

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
EMBED = re.compile(r"^\[\[(?P<kind>matrix|check|predict):(?P<slug>[a-z0-9][a-z0-9_-]*)\]\]$")
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
    """Words a learner reads: the body less its embed lines."""
    return sum(
        len(line.split()) for line in body.splitlines() if not EMBED.match(line.strip())
    )


def embeds(body: str) -> list[tuple[str, str]]:
    return [
        (match["kind"], match["slug"])
        for line in body.splitlines()
        if (match := EMBED.match(line.strip()))
    ]


def reading_minutes(body: str) -> int:
    """The reading-time rule: words / 200 rounded up, +1 per block, +2 per matrix."""
    kinds = [kind for kind, _slug in embeds(body)]
    blocks = sum(kind in {"check", "predict"} for kind in kinds)
    return (
        math.ceil(word_count(body) / WORDS_PER_MINUTE)
        + MINUTES_PER_BLOCK * blocks
        + MINUTES_PER_MATRIX * kinds.count("matrix")
    )


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
    return sorted(CONTENT.glob("*/*.toml")) + sorted(CONTENT.glob("*/blocks/*.toml"))


def test_helpers_catch_a_broken_lesson():
    body = "# Title\n\nToo short.\n\n## Key takeaways\n\n- one\n"
    problems = lesson_problems({"sources": ""}, body)
    assert "no '## Learning objectives' section" in problems
    assert "reviewed_on is not set" in problems
    assert "sources is empty" in problems
    assert any(problem.endswith("outside 500-1100") for problem in problems)
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
        assert meta["estimated_minutes"] == reading_minutes(body), path.name
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
    "path",
    lesson_files() + quiz_files() + sorted(CONTENT.glob("*/blocks/*.toml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
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


# --- round 2: blocks, objectives, pools, diagrams, answer habits ------------------------------

DIAGRAM = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)")
STATIC = Path(settings.BASE_DIR) / "static"
MIN_POOL, MIN_DRAW = 20, 8
OBJECTIVE_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words that make a statement sound hedged, or absolute, to a test-wise guesser.
HEDGED = re.compile(
    r"\b(often|usually|may|might|can|could|tends?|typically|generally|sometimes|likely|"
    r"probably|mostly|partly|some|rarely|seldom|perhaps|largely|can be)\b",
    re.I,
)
ABSOLUTE = re.compile(
    r"\b(always|never|all|every|none|only|cannot|must|guarantees?|entirely|completely|"
    r"impossible|any|no)\b",
    re.I,
)
# How far above chance a habit may score, in percentage points.
HABIT_MARGIN = 5.0


def lessons_of(track: str) -> list[tuple[Path, dict, str]]:
    found = []
    for path in lesson_files(track):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        if meta["status"] == "published":
            found.append((path, meta, body))
    return found


def blocks_of(track: str) -> dict[str, dict]:
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CONTENT / track / "blocks").glob("*.toml"))
    }


def pool_of(track: str) -> dict:
    quizzes = [tomllib.loads(p.read_text(encoding="utf-8")) for p in quiz_files(track)]
    published = [quiz for quiz in quizzes if quiz.get("is_published")]
    assert len(published) == 1, f"{track}: expected one published quiz"
    return published[0]


def objectives_of(track: str) -> dict[str, int]:
    """Objective key -> the order of the lesson that declares it."""
    keys = {}
    for path, meta, _body in lessons_of(track):
        for objective in meta.get("objectives", []):
            assert objective["key"] not in keys, f"{path.name}: {objective['key']} declared twice"
            keys[objective["key"]] = meta["order"]
    return keys


# Habits of a learner who knows nothing: each returns the expected score (0-1) of a question.


def _statement(question: dict) -> str:
    prompt = question["prompt"]
    _, marker, statement = prompt.partition("True or false:")
    return statement if marker else prompt


def _expected(choices: list[dict], picked: list[int]) -> float:
    """Expected score when one of ``picked`` is chosen at random (single answer)."""
    if not picked:
        picked = list(range(len(choices)))
    return sum(bool(choices[i].get("correct")) for i in picked) / len(picked)


def _exact(choices: list[dict], selected: set[int]) -> float:
    right = {i for i, choice in enumerate(choices) if choice.get("correct")}
    return float(bool(selected) and selected == right)


def chance(question: dict) -> float:
    n = len(question["choices"])
    if question["kind"] == "multiple":
        return 1 / (2**n - 1)
    return 1 / n


def habit_longest(question: dict) -> float:
    choices = question["choices"]
    if question["kind"] == "true_false":
        return 0.5
    lengths = [len(choice["text"]) for choice in choices]
    if question["kind"] == "multiple":
        mean = sum(lengths) / len(lengths)
        return _exact(choices, {i for i, n in enumerate(lengths) if n >= mean})
    return _expected(choices, [i for i, n in enumerate(lengths) if n == max(lengths)])


def habit_short_is_wrong(question: dict) -> float:
    choices = question["choices"]
    if question["kind"] == "true_false":
        return 0.5
    lengths = [len(choice["text"]) for choice in choices]
    rest = [i for i, n in enumerate(lengths) if n != min(lengths)]
    if question["kind"] == "multiple":
        return _exact(choices, set(rest))
    return _expected(choices, rest)


def habit_hedged_is_true(question: dict) -> float:
    choices = question["choices"]
    if question["kind"] == "true_false":
        says = "True" if HEDGED.search(_statement(question)) else "False"
        return float(next(c for c in choices if c["text"] == says).get("correct", False))
    hedged = [i for i, choice in enumerate(choices) if HEDGED.search(choice["text"])]
    if question["kind"] == "multiple":
        return _exact(choices, set(hedged))
    return _expected(choices, hedged)


def habit_absolute_is_false(question: dict) -> float:
    choices = question["choices"]
    if question["kind"] == "true_false":
        says = "False" if ABSOLUTE.search(_statement(question)) else "True"
        return float(next(c for c in choices if c["text"] == says).get("correct", False))
    modest = [i for i, choice in enumerate(choices) if not ABSOLUTE.search(choice["text"])]
    if question["kind"] == "multiple":
        return _exact(choices, set(modest))
    return _expected(choices, modest)


HABITS = {
    "always the longest choice": habit_longest,
    "short choices are wrong": habit_short_is_wrong,
    "hedged statements are true": habit_hedged_is_true,
    "absolute statements are false": habit_absolute_is_false,
}


def test_habits_are_caught_on_a_cued_pool():
    """A pool written with the old habits (longest right, hedged true) fails the check."""
    cued = [
        {"kind": "single", "choices": [
            {"text": "No.", "correct": False},
            {"text": "Yes, because the template and the latency budget both apply here.", "correct": True},
            {"text": "Never.", "correct": False},
        ]},
        {"kind": "true_false", "prompt": "True or false: fine-tuning can often help.", "choices": [
            {"text": "True", "correct": True}, {"text": "False", "correct": False},
        ]},
        {"kind": "true_false", "prompt": "True or false: fine-tuning always wins.", "choices": [
            {"text": "True", "correct": False}, {"text": "False", "correct": True},
        ]},
    ]
    base = 100 * sum(chance(q) for q in cued) / len(cued)
    for habit in (habit_longest, habit_hedged_is_true, habit_absolute_is_false):
        assert 100 * sum(habit(q) for q in cued) / len(cued) > base + HABIT_MARGIN


@pytest.mark.parametrize("track", TRACKS)
def test_every_lesson_makes_the_learner_act_twice(track):
    blocks = blocks_of(track)
    for path, _meta, body in lessons_of(track):
        found = [(kind, slug) for kind, slug in embeds(body) if kind in {"check", "predict"}]
        assert len(found) >= MIN_BLOCKS_PER_LESSON, f"{path.name}: {len(found)} blocks"
        for kind, slug in found:
            assert slug in blocks, f"{path.name}: no block file {slug}"
            assert blocks[slug]["kind"] == kind, f"{path.name}: {slug} is not a {kind}"


@pytest.mark.parametrize("track", TRACKS)
def test_checks_give_feedback_on_every_choice(track):
    for slug, block in blocks_of(track).items():
        if block["kind"] == "check":
            assert len(block["choices"]) >= 2, slug
        for choice in block.get("choices", []):
            assert str(choice.get("feedback", "")).strip(), f"{slug}: a choice has no feedback"
        if block["kind"] == "predict":
            assert str(block.get("explanation", "")).strip(), f"{slug}: no reveal"


@pytest.mark.parametrize("track", TRACKS)
def test_objectives_are_declared_and_each_one_is_tested(track):
    keys = objectives_of(track)
    for path, meta, body in lessons_of(track):
        objectives = meta.get("objectives", [])
        assert MIN_OBJECTIVES <= len(objectives) <= MAX_OBJECTIVES, path.name
        for objective in objectives:
            assert OBJECTIVE_KEY.match(objective["key"]), objective["key"]
            assert str(objective["text"]).strip()
        # The body lists the same objectives the front matter declares, in the same order.
        listed = [line[2:].strip() for line in bullets(section(body, "Learning objectives"))]
        assert listed == [o["text"].strip() for o in objectives], path.name
    tagged = set()
    for slug, block in blocks_of(track).items():
        assert block.get("objectives"), f"block {slug} has no objectives"
        assert set(block["objectives"]) <= set(keys), f"block {slug}: unknown objective"
        tagged |= set(block["objectives"])
    for number, question in enumerate(pool_of(track)["questions"], start=1):
        assert question.get("objectives"), f"question {number} has no objectives"
        assert set(question["objectives"]) <= set(keys), f"question {number}: unknown objective"
        tagged |= set(question["objectives"])
    assert set(keys) <= tagged, f"untested objectives: {sorted(set(keys) - tagged)}"


@pytest.mark.parametrize("track", TRACKS)
def test_each_track_interleaves_an_earlier_lesson(track):
    """At least one block brings back an objective from an earlier lesson than its own."""
    keys, blocks = objectives_of(track), blocks_of(track)
    looking_back = [
        slug
        for _path, meta, body in lessons_of(track)
        for kind, slug in embeds(body)
        if kind in {"check", "predict"}
        and any(keys[key] < meta["order"] for key in blocks[slug].get("objectives", []))
    ]
    assert looking_back, f"{track}: no block returns to an earlier lesson"


@pytest.mark.parametrize("track", TRACKS)
def test_quiz_is_a_shuffled_exam_pool(track):
    quiz = pool_of(track)
    assert quiz.get("mode") == "exam"
    assert quiz.get("shuffle") is True
    assert len(quiz["questions"]) >= MIN_POOL
    assert MIN_DRAW <= quiz.get("draw", 0) < len(quiz["questions"])
    for question in quiz["questions"]:
        if question["kind"] == "true_false":
            assert "True or false:" in question["prompt"], question["prompt"][:60]


@pytest.mark.parametrize("track", TRACKS)
@pytest.mark.parametrize("habit", HABITS, ids=lambda name: name.replace(" ", "-"))
def test_answer_habits_score_no_better_than_chance(track, habit):
    questions = pool_of(track)["questions"]
    base = 100 * sum(chance(q) for q in questions) / len(questions)
    score = 100 * sum(HABITS[habit](q) for q in questions) / len(questions)
    assert score <= base + HABIT_MARGIN, f"{habit}: {score:.1f}% against chance {base:.1f}%"


@pytest.mark.parametrize("track", TRACKS)
def test_true_false_balance_hedges_and_confidence(track):
    """About half the true statements are confident, about half the false ones hedged."""
    items = [q for q in pool_of(track)["questions"] if q["kind"] == "true_false"]
    true = [q for q in items if next(c for c in q["choices"] if c["text"] == "True").get("correct")]
    false = [q for q in items if q not in true]
    assert true and false
    confident_true = sum(not HEDGED.search(_statement(q)) for q in true)
    hedged_false = sum(bool(HEDGED.search(_statement(q))) for q in false)
    assert abs(confident_true - len(true) / 2) <= 1, f"{confident_true} of {len(true)}"
    assert abs(hedged_false - len(false) / 2) <= 1, f"{hedged_false} of {len(false)}"


@pytest.mark.parametrize("track", TRACKS)
def test_each_track_has_an_accessible_diagram(track):
    found = []
    for path, _meta, body in lessons_of(track):
        for match in DIAGRAM.finditer(body):
            src, alt = match["src"], match["alt"].strip()
            assert src.startswith("/static/diagrams/") and src.endswith(".svg"), src
            assert len(alt) >= 20, f"{path.name}: alt text too short for {src}"
            found.append(src)
    assert found, f"{track} has no diagram"
    for src in found:
        svg = (STATIC / src.removeprefix("/static/")).read_text(encoding="utf-8")
        assert "<title" in svg and "<desc" in svg, src
        assert "<script" not in svg.lower() and "href=" not in svg.lower(), src
        assert not re.search(r"url\(\s*['\"]?https?:", svg), src
        assert 'role="img"' in svg, src


@pytest.mark.parametrize("track", TRACKS)
def test_distribution_shift_has_one_definition(track):
    for path, _meta, body in lessons_of(track):
        text = " ".join(body.split())
        if "**Distribution shift**" in text or "**distribution shift**" in text:
            assert SHIFT_DEFINITION in text, f"{path.name} defines distribution shift differently"


def test_invented_cases_are_marked():
    """Made-up cases are called invented, in one phrase, never 'fictional' or unmarked."""
    for path in lesson_files():
        _meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        assert not re.search(r"\b(fictional|fictitious)\b", body, re.I), path.name
        for heading in re.findall(r"^#+ .*(?:example|project|proposal).*$", body, re.M | re.I):
            following = body.split(heading, 1)[1][:400]
            assert "invented" in following.lower(), f"{path.name}: {heading} is not marked"
