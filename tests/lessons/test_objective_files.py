"""Objectives in content files: [[objectives]] in a lesson's front matter, ``objectives`` tags
in block files and quiz questions; loading, the errors, and byte-identical export."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lessons.models import Lesson, Objective
from practice.models import Block
from quizzes.models import Question

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent.parent / "courses" / "content_fixture"

QUIZ = '''title = "Alpha check"
order = 1
pass_percent = 70
max_attempts = 0
retry_wait_minutes = 0
mode = "exam"
shuffle = true
is_published = true

[[questions]]
kind = "true_false"
prompt = "Layout is a format problem."
explanation = "It is."
objectives = ["name-the-layout-gap", "tell-format-from-knowledge"]

[[questions.choices]]
text = "True"
correct = true
feedback = "Yes."

[[questions.choices]]
text = "False"
correct = false
feedback = "No."

[[questions]]
kind = "true_false"
prompt = "Untagged."
explanation = "Fine."

[[questions.choices]]
text = "True"
correct = true
feedback = "Yes."

[[questions.choices]]
text = "False"
correct = false
feedback = "No."
'''


def load(path) -> str:
    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    (target / "alpha-track" / "quiz-alpha-check.toml").write_text(QUIZ, encoding="utf-8")
    return target


def test_objectives_load_in_order_with_their_lesson_and_course(content):
    output = load(content)
    assert "objectives: 2 created" in output
    objectives = list(Objective.objects.select_related("lesson", "course"))
    assert [(o.key, o.order, o.lesson.slug, o.course.slug) for o in objectives] == [
        ("tell-format-from-knowledge", 1, "first-steps", "alpha-track"),
        ("name-the-layout-gap", 2, "first-steps", "alpha-track"),
    ]
    assert objectives[0].text == "Tell a format problem from a knowledge problem"


def test_blocks_and_questions_are_tagged_after_lessons_load(content):
    load(content)
    block = Block.objects.get(slug="format-or-knowledge")
    assert sorted(block.objectives.values_list("key", flat=True)) == [
        "name-the-layout-gap", "tell-format-from-knowledge",
    ]  # fmt: skip
    tagged, untagged = Question.objects.order_by("order")
    assert tagged.objectives.count() == 2
    assert untagged.objectives.count() == 0


def test_load_export_load_gives_byte_identical_files(content, tmp_path):
    load(content)
    call_command("export_content", str(tmp_path / "out"), stdout=StringIO())
    exported = tree(tmp_path / "out")
    lesson = exported["alpha-track/01-first-steps.md"].decode()
    assert '[[objectives]]\nkey = "tell-format-from-knowledge"' in lesson
    # Tags are written in the course's objective order, whatever order the file gave.
    quiz = exported["alpha-track/quiz-alpha-check.toml"].decode()
    assert 'objectives = ["tell-format-from-knowledge", "name-the-layout-gap"]' in quiz
    assert exported["alpha-track/blocks/format-or-knowledge.toml"] == tree(content)[
        "alpha-track/blocks/format-or-knowledge.toml"
    ]
    assert exported["alpha-track/01-first-steps.md"] == tree(content)["alpha-track/01-first-steps.md"]
    assert "Untagged." in quiz and quiz.count("objectives = ") == 1
    load(tmp_path / "out")
    call_command("export_content", str(tmp_path / "again"), stdout=StringIO())
    assert tree(tmp_path / "again") == exported


def test_loading_twice_changes_no_objective_or_tag(content):
    load(content)
    output = load(content)
    assert "objectives: 0 created, 0 updated, 2 unchanged" in output
    assert "questions: 0 created, 0 updated, 2 unchanged" in output


def test_an_objective_moved_to_another_lesson_keeps_its_tags(content):
    load(content)
    first = content / "alpha-track" / "01-first-steps.md"
    text = first.read_text()
    moved = '\n[[objectives]]\nkey = "name-the-layout-gap"\ntext = "Name the layout gap in a clinical note"\n'
    first.write_text(text.replace(moved, ""))
    second = content / "alpha-track" / "02-second-look.md"
    second.write_text(second.read_text().replace("estimated_minutes = 4\n", "estimated_minutes = 4\n" + moved))
    load(content)
    objective = Objective.objects.get(key="name-the-layout-gap")
    assert objective.lesson.slug == "second-look"
    assert objective.blocks.count() == 1 and objective.questions.count() == 1


def test_an_objective_removed_from_its_lesson_is_deleted(content):
    load(content)
    first = content / "alpha-track" / "01-first-steps.md"
    first.write_text(
        first.read_text().replace(
            '\n[[objectives]]\nkey = "name-the-layout-gap"\ntext = "Name the layout gap in a clinical note"\n', ""
        )
    )
    for path in (content / "alpha-track" / "blocks" / "format-or-knowledge.toml", content / "alpha-track" / "quiz-alpha-check.toml"):
        path.write_text(path.read_text().replace('"name-the-layout-gap", ', "").replace(', "name-the-layout-gap"', ""))
    load(content)
    assert list(Objective.objects.values_list("key", flat=True)) == ["tell-format-from-knowledge"]


BREAKAGES = {
    "unknown key in a block": (
        "alpha-track/blocks/format-or-knowledge.toml",
        ('"name-the-layout-gap"]', '"no-such-objective"]'),
        "unknown objective 'no-such-objective'",
    ),
    "unknown key in a question": (
        "alpha-track/quiz-alpha-check.toml",
        ('["name-the-layout-gap", ', '["missing-one", '),
        "question 1: unknown objective 'missing-one'",
    ),
    "a key of another course": (
        "alpha-track/quiz-alpha-check.toml",
        ('["name-the-layout-gap", ', '["beta-objective", '),
        "unknown objective 'beta-objective': no lesson of course 'alpha-track' has it",
    ),
    "tags that are not strings": (
        "alpha-track/blocks/format-or-knowledge.toml",
        ('objectives = ["tell-format-from-knowledge", "name-the-layout-gap"]', "objectives = [1]"),
        "'objectives' must be a list of objective keys",
    ),
    "a key twice in one lesson": (
        "alpha-track/01-first-steps.md",
        ('key = "name-the-layout-gap"', 'key = "tell-format-from-knowledge"'),
        "objective 2: the key 'tell-format-from-knowledge' is listed twice",
    ),
    "an objective without text": (
        "alpha-track/01-first-steps.md",
        ('text = "Name the layout gap in a clinical note"\n', ""),
        "objective 2: 'text' is missing",
    ),
    "a key that is not a slug": (
        "alpha-track/01-first-steps.md",
        ('key = "name-the-layout-gap"', 'key = "Name the gap"'),
        "objective 2: key:",
    ),
    "a key used by two lessons": (
        "alpha-track/02-second-look.md",
        ("estimated_minutes = 4\n", 'estimated_minutes = 4\n\n[[objectives]]\nkey = "name-the-layout-gap"\ntext = "Again"\n'),
        "the objective key 'name-the-layout-gap' is also used by 01-first-steps.md",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", BREAKAGES)
def test_a_broken_objective_names_the_file_and_the_key_and_changes_nothing(content, name):
    relative, (old, new), problem = BREAKAGES[name]
    beta = content / "beta-track" / "01-only-lesson.md"
    beta.write_text(beta.read_text().replace(
        "+++\n\n", '\n[[objectives]]\nkey = "beta-objective"\ntext = "Beta"\n+++\n\n', 1
    ))  # fmt: skip
    path = content / relative
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(CommandError) as error:
        load(content)
    assert str(path) in str(error.value)
    assert problem in str(error.value)
    assert not Lesson.objects.exists() and not Objective.objects.exists()
