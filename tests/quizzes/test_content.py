"""quizzes/content.py: quizzes as TOML files, loaded and exported with a stable round trip."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core.content import export_tree, handlers, load_tree
from core.content_files import ContentError, LoadStats
from courses.models import Course
from lessons.models import Lesson
from quizzes.content import export_quizzes, load_quizzes
from quizzes.models import Attempt, Choice, Question, Quiz, Response

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "content"
COURSE = "clinical-documentation-ai"
QUIZ_FILE = f"{COURSE}/quiz-format-basics.toml"


@pytest.fixture
def tree(tmp_path):
    """A copy of the fixture folder, with the course and lesson rows already in place."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    course = Course.objects.create(slug=COURSE, title="Clinical documentation AI",
                                   summary="Formats.", is_published=True)  # fmt: skip
    Lesson.objects.create(course=course, slug="format-matters", title="Format matters", body="x")
    return root


def load(root):
    stats = LoadStats()
    load_quizzes(root, stats)
    return stats


def counts(stats, outcome):
    counter = getattr(stats, outcome)
    return (counter["quizzes"], counter["questions"], counter["choices"])


def test_the_handler_is_registered_after_courses_and_lessons():
    by_name = {handler.name: handler.order for handler in handlers()}
    assert by_name["quizzes"] == 40
    assert by_name["quizzes"] > by_name.get("courses", 10)
    assert by_name["quizzes"] > by_name.get("lessons", 30)


def test_loading_creates_the_quiz_its_questions_and_choices(tree):
    stats = load(tree)
    assert counts(stats, "created") == (1, 3, 8)
    quiz = Quiz.objects.select_related("course", "lesson").get(slug="format-basics")
    assert quiz.course.slug == COURSE and quiz.lesson.slug == "format-matters"
    assert (quiz.pass_percent, quiz.max_attempts, quiz.shuffle, quiz.is_published) == (
        70,
        3,
        True,
        True,
    )
    assert quiz.description == "Three questions on format compliance.\nYou need 70% to pass.\n"
    kinds = list(quiz.questions.values_list("kind", "order"))
    assert kinds == [("single", 1), ("multiple", 2), ("true_false", 3)]
    first = quiz.questions.first()
    assert "<strong>exact</strong>" in first.prompt_html
    assert [(c.text, c.is_correct, c.order) for c in first.choices.all()] == [
        ("Prompt a frontier model and hope", False, 1),
        ("Fine-tune for the template", True, 2),
        ("Train a model from scratch", False, 3),
    ]
    assert (
        first.choices.first().feedback
        == 'Prompting helps, but "hope" is not a compliance strategy.'
    )


def test_load_export_load_changes_nothing_and_exports_are_byte_identical(tree, tmp_path):
    load(tree)
    first, second = tmp_path / "first", tmp_path / "second"
    export_quizzes(first)
    # The fixture is written in the exported form, so even the source comes back unchanged.
    assert (first / QUIZ_FILE).read_bytes() == (tree / QUIZ_FILE).read_bytes()

    stats = load(first)
    assert counts(stats, "created") == counts(stats, "updated") == (0, 0, 0)
    assert counts(stats, "unchanged") == (1, 3, 8)
    assert not stats.changed
    export_quizzes(second)
    assert (second / QUIZ_FILE).read_bytes() == (first / QUIZ_FILE).read_bytes()


def test_the_whole_tree_round_trips_through_every_registered_handler(tmp_path):
    """load_tree / export_tree with the course and lesson handlers, as load_content runs them."""
    if not {"courses", "lessons"} <= {handler.name for handler in handlers()}:
        pytest.skip("the course and lesson handlers are not registered")
    stats = load_tree(FIXTURE)
    assert counts(stats, "created") == (1, 3, 8)
    export_tree(tmp_path / "out")
    again = load_tree(tmp_path / "out")
    assert not again.changed
    export_tree(tmp_path / "twice")
    assert (tmp_path / "twice" / QUIZ_FILE).read_bytes() == (
        tmp_path / "out" / QUIZ_FILE
    ).read_bytes()
    assert (tmp_path / "out" / QUIZ_FILE).read_bytes() == (FIXTURE / QUIZ_FILE).read_bytes()


def test_editing_the_wording_updates_in_place_and_keeps_learners_responses(tree, learner):
    load(tree)
    question = Question.objects.get(kind="single")
    attempt = Attempt.objects.create(user=learner, quiz=question.quiz)
    Response.objects.create(attempt=attempt, question=question, is_correct=True)
    path = tree / QUIZ_FILE
    path.write_text(path.read_text().replace("Which approach fits?", "Which approach fits best?"))

    stats = load(tree)
    assert stats.updated["questions"] == 1 and stats.unchanged["questions"] == 2
    assert stats.unchanged["quizzes"] == 1
    question.refresh_from_db()
    assert "fits best?" in question.prompt and "fits best?" in question.prompt_html
    assert Response.objects.filter(question=question).count() == 1


def test_questions_and_choices_the_file_drops_are_deleted(tree):
    load(tree)
    path = tree / QUIZ_FILE
    text = path.read_text()
    path.write_text(text[: text.index('[[questions]]\nkind = "true_false"')].rstrip() + "\n")
    stats = load(tree)
    assert stats.updated["quizzes"] == 1
    assert Question.objects.count() == 2 and Choice.objects.count() == 6


def test_a_broken_file_changes_nothing(tree):
    (tree / COURSE / "quiz-broken.toml").write_text('title = "Broken"\npass_percent = "high"\n')
    with pytest.raises(ContentError):
        load(tree)
    assert not Quiz.objects.exists() and not Question.objects.exists()


def _edit(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


BAD_FILES = {
    "not TOML": (lambda t: t + "\n[[questions\n", "is not valid TOML"),
    "unknown key": (lambda t: "colour = 1\n" + t, "unknown key(s) colour"),
    "missing title": (
        lambda t: _edit(t, 'title = "Format basics: check your understanding"\n', ""),
        "'title' is missing",
    ),
    "wrong type": (
        lambda t: _edit(t, "pass_percent = 70", 'pass_percent = "70"'),
        "'pass_percent' must be a whole number",
    ),
    "pass mark over 100": (
        lambda t: _edit(t, "pass_percent = 70", "pass_percent = 101"),
        "pass_percent: Ensure this value is less than or equal to 100.",
    ),
    "unknown kind": (
        lambda t: _edit(t, 'kind = "single"', 'kind = "essay"'),
        "question 1: 'kind' must be one of single, multiple, true_false, not 'essay'",
    ),
    "two right answers to a one-answer question": (
        lambda t: _edit(t, "correct = false", "correct = true"),
        "question 1: A one-answer question needs exactly one right choice; it has 2.",
    ),
    "true or false with three choices": (
        lambda t: t + '\n[[questions.choices]]\ntext = "Maybe"\n',
        "question 3: A true-or-false question needs exactly two choices; it has 3.",
    ),
    "unknown choice key": (
        lambda t: _edit(t, 'feedback = "Yes."', 'feedbak = "Yes."'),
        "question 2: choice 1: unknown key(s) feedbak",
    ),
    "choice text too long": (
        lambda t: _edit(t, 'text = "Fine-tune for the template"', f'text = "{"x" * 501}"'),
        "question 1: choice 2: text: Ensure this value has at most 500 characters",
    ),
    "missing explanation": (
        lambda t: _edit(
            t, 'explanation = "Format compliance is exactly where fine-tuning still wins."\n', ""
        ),
        "question 3: 'explanation' is missing",
    ),
    "unknown lesson": (
        lambda t: _edit(t, 'lesson = "format-matters"', 'lesson = "no-such-lesson"'),
        "has no lesson 'no-such-lesson'",
    ),
    "unknown mode": (
        lambda t: _edit(t, 'mode = "exam"', 'mode = "quiz-show"'),
        "'mode' must be one of exam, practice, not 'quiz-show'",
    ),
    "draw of none": (
        lambda t: _edit(t, "shuffle = true\n", "shuffle = true\ndraw = 0\n"),
        "draw_count: Ensure this value is greater than or equal to 1.",
    ),
    "draw of more than the questions": (
        lambda t: _edit(t, "shuffle = true\n", "shuffle = true\ndraw = 4\n"),
        "'draw': The number of questions to draw must be between 1 and the number of "
        "questions (3); it is 4.",
    ),
    "draw not a number": (
        lambda t: _edit(t, "shuffle = true\n", 'shuffle = true\ndraw = "all"\n'),
        "'draw' must be a whole number",
    ),
    "negative wait": (
        lambda t: _edit(t, "retry_wait_minutes = 0", "retry_wait_minutes = -5"),
        "retry_wait_minutes: Ensure this value is greater than or equal to 0.",
    ),
    "wait over 30 days": (
        lambda t: _edit(t, "retry_wait_minutes = 0", "retry_wait_minutes = 43201"),
        "retry_wait_minutes: Ensure this value is less than or equal to 43200.",
    ),
    "published with no questions": (
        lambda t: t[: t.index("[[questions]]")],
        "A quiz cannot be published with no questions.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_are_refused_naming_the_file_and_the_problem(tree, case):
    change, problem = BAD_FILES[case]
    path = tree / QUIZ_FILE
    path.write_text(change(path.read_text()))
    with pytest.raises(ContentError) as error:
        load(tree)
    assert error.value.path == path
    assert problem in error.value.problem
    assert str(path) in str(error.value)
    assert not Quiz.objects.exists()


def test_a_draft_quiz_may_have_no_questions(tree):
    path = tree / QUIZ_FILE
    text = path.read_text()
    path.write_text(
        _edit(text[: text.index("[[questions]]")], "is_published = true", "is_published = false")
    )
    assert counts(load(tree), "created") == (1, 0, 0)


def test_a_quiz_in_a_folder_with_no_course_is_refused(tree):
    folder = tree / "no-such-course"
    folder.mkdir()
    shutil.copy(tree / QUIZ_FILE, folder / "quiz-elsewhere.toml")
    with pytest.raises(ContentError, match="there is no course 'no-such-course'"):
        load(tree)


def test_two_files_with_the_same_quiz_slug_are_refused(tree):
    other = Course.objects.create(slug="medical-imaging-ai", title="Imaging", summary="x")
    folder = tree / other.slug
    folder.mkdir()
    text = (tree / QUIZ_FILE).read_text().replace('lesson = "format-matters"\n', "")
    (folder / "quiz-format-basics.toml").write_text(text)
    with pytest.raises(ContentError, match="also used by"):
        load(tree)


def test_badly_named_quiz_files_are_refused(tree):
    (tree / COURSE / "quiz_format.toml").write_text('title = "x"\n')
    with pytest.raises(ContentError, match="quiz files are named quiz-<slug>.toml"):
        load(tree)


def test_export_leaves_out_empty_optional_keys(course, make_quiz, tmp_path):
    make_quiz(kinds=("true_false",), slug="plain", description="", lesson=None)
    export_quizzes(tmp_path)
    text = (tmp_path / course.slug / "quiz-plain.toml").read_text()
    assert text.startswith('title = "Check the basics"\norder = 0\npass_percent = 70\n')
    assert "lesson" not in text and "description" not in text
    assert text.count("[[questions]]") == 1 and text.count("[[questions.choices]]") == 2


def test_the_projects_own_quizzes_load_and_round_trip(tmp_path):
    """Every content/<course>/quiz-*.toml obeys the rules the admin enforces."""
    root = Path(__file__).resolve().parents[2] / "content"
    files = sorted(root.glob("*/quiz-*.toml"))
    if not files or not {"courses", "lessons"} <= {handler.name for handler in handlers()}:
        pytest.skip("no quizzes in content/ yet, or the course and lesson handlers are missing")
    stats = load_tree(root)
    assert stats.created["quizzes"] == len(files)
    assert Quiz.objects.filter(is_published=True).count() == len(files)
    export_tree(tmp_path / "out")
    assert not load_tree(tmp_path / "out").changed


def test_load_content_and_export_content_commands_round_trip_the_quiz_files(tmp_path):
    call_command("load_content", str(FIXTURE), stdout=StringIO())
    call_command("export_content", str(tmp_path / "out"), stdout=StringIO())
    call_command("export_content", str(tmp_path / "again"), stdout=StringIO())
    out, again = tmp_path / "out" / QUIZ_FILE, tmp_path / "again" / QUIZ_FILE
    assert out.read_bytes() == again.read_bytes() == (FIXTURE / QUIZ_FILE).read_bytes()
    assert Quiz.objects.get().questions.count() == 3


def test_mode_draw_wait_and_shuffle_load_and_export_byte_identically(tree, tmp_path):
    path = tree / QUIZ_FILE
    text = _edit(path.read_text(), 'retry_wait_minutes = 0\nmode = "exam"\nshuffle = true\n',
                 'retry_wait_minutes = 90\nmode = "practice"\nshuffle = false\ndraw = 2\n')  # fmt: skip
    path.write_text(text)
    load(tree)
    quiz = Quiz.objects.get(slug="format-basics")
    assert (quiz.mode, quiz.shuffle, quiz.draw_count, quiz.retry_wait_minutes) == (
        "practice", False, 2, 90,
    )  # fmt: skip
    export_quizzes(tmp_path / "out")
    assert (tmp_path / "out" / QUIZ_FILE).read_text() == text
    assert not load(tmp_path / "out").changed


def test_left_out_keys_mean_exam_mode_shuffled_every_question_no_wait(tree):
    path = tree / QUIZ_FILE
    text = path.read_text()
    for line in ('retry_wait_minutes = 0\n', 'mode = "exam"\n', "shuffle = true\n"):
        text = _edit(text, line, "")
    path.write_text(text)
    load(tree)
    quiz = Quiz.objects.get(slug="format-basics")
    assert (quiz.mode, quiz.shuffle, quiz.draw_count, quiz.retry_wait_minutes) == (
        "exam", True, None, 0,
    )  # fmt: skip
