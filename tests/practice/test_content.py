"""practice/content.py: blocks as TOML files beside the lessons, loaded before them, round-tripped."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from practice.models import Block, BlockChoice, BlockPlacement

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parents[1] / "courses" / "content_fixture"
BLOCK = "alpha-track/blocks/format-or-knowledge.toml"
SHIPPED = Path(settings.BASE_DIR) / "content"


def load(path) -> str:
    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def test_blocks_load_before_the_lessons_that_embed_them(content):
    output = load(content)
    assert "blocks: 1 created" in output and "block choices: 2 created" in output
    block = Block.objects.get(slug="format-or-knowledge")
    assert block.course.slug == "alpha-track" and block.kind == "check"
    assert "<em>layout</em>" in block.explanation_html
    assert [c.is_correct for c in block.choices.order_by("order")] == [True, False]
    assert BlockPlacement.objects.get().lesson.slug == "first-steps"


def test_editing_a_choice_updates_it_in_place_and_touches_the_block(content):
    load(content)
    block = Block.objects.get()
    choice_ids = list(block.choices.order_by("order").values_list("pk", flat=True))
    path = content / BLOCK
    path.write_text(path.read_text().replace("It has the knowledge", "It knows the codes"))
    output = load(content)
    assert (
        "blocks: 0 created, 1 updated" in output and "block choices: 0 created, 1 updated" in output
    )
    assert list(block.choices.order_by("order").values_list("pk", flat=True)) == choice_ids
    assert Block.objects.get().updated_at > block.updated_at


def test_a_removed_choice_is_deleted(content):
    load(content)
    path = content / BLOCK
    text = path.read_text()
    path.write_text(text + '\n[[choices]]\ntext = "Both"\ncorrect = false\nfeedback = "No."\n')
    load(content)
    assert BlockChoice.objects.count() == 3
    path.write_text(text)
    load(content)
    assert BlockChoice.objects.count() == 2


@pytest.mark.parametrize(
    "text, problem",
    [
        ('kind = "check"\n', "'answer' is missing"),
        ('kind = "quiz"\nanswer = "single"\ntitle = "T"\nprompt = "P"\n', "'kind' must be one of"),
        ('kind = "predict"\nanswer = "text"\ntitle = "T"\nprompt = "P"\n', "needs its outcome"),
        (
            'kind = "check"\nanswer = "single"\ntitle = "T"\nprompt = "P"\n'
            '[[choices]]\ntext = "a"\ncorrect = true\nfeedback = "f"\n'
            '[[choices]]\ntext = "b"\ncorrect = true\nfeedback = "f"\n',
            "exactly one",
        ),
        (
            'kind = "check"\nanswer = "single"\ntitle = "T"\nprompt = "P"\nextra = 1\n',
            "unknown key",
        ),
    ],
)
def test_a_broken_block_file_is_named_and_changes_nothing(content, text, problem):
    (content / BLOCK).write_text(text)
    with pytest.raises(CommandError) as error:
        load(content)
    assert "format-or-knowledge.toml" in str(error.value) and problem in str(error.value)
    assert not Block.objects.exists()


def test_a_lesson_embedding_an_unknown_block_is_refused(content):
    (content / BLOCK).unlink()
    with pytest.raises(CommandError, match=r"\[\[check:format-or-knowledge\]\]"):
        load(content)


def test_a_slug_used_twice_is_refused(content):
    (content / "beta-track" / "blocks").mkdir()
    shutil.copy(content / BLOCK, content / "beta-track" / "blocks" / "format-or-knowledge.toml")
    with pytest.raises(CommandError, match="also used by"):
        load(content)


def test_the_shipped_blocks_round_trip_byte_for_byte(tmp_path):
    load(SHIPPED)
    assert (
        Block.objects.filter(kind="check").exists()
        and Block.objects.filter(kind="predict").exists()
    )
    call_command("export_content", str(tmp_path / "out"), stdout=StringIO())
    for path in sorted(SHIPPED.glob("*/blocks/*.toml")):
        exported = tmp_path / "out" / path.relative_to(SHIPPED)
        assert exported.read_bytes() == path.read_bytes(), path
    shipped_blocks = len(list(SHIPPED.glob("*/blocks/*.toml")))
    assert f"blocks: 0 created, 0 updated, {shipped_blocks} unchanged" in load(tmp_path / "out")
