"""Matrices as files: loading content/matrices/*.toml, exporting them, and refusing bad files."""

import shutil
from pathlib import Path

import pytest

from core.content import export_tree, handlers, load_tree
from core.content_files import ContentError, LoadStats
from matrix.content import export_matrices, load_matrices
from matrix.content_reading import read_matrix_file
from matrix.models import (
    AdvisorPreset,
    DecisionMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixPrediction,
    MatrixRow,
    Winner,
)

from .conftest import SHIPPED

ISSUE_TABLE = {
    ("domain-coverage", "weak"): "Fine-tune wins",
    ("domain-coverage", "strong"): "Marginal gain",
    ("output-format", "weak"): "Fine-tune wins",
    ("output-format", "strong"): "Prompting works",
    ("regulatory-audit", "weak"): "Fine-tune wins",
    ("regulatory-audit", "strong"): "Fine-tune wins",
    ("reasoning-breadth", "weak"): "No difference",
    ("reasoning-breadth", "strong"): "Generalist wins",
}


@pytest.fixture
def content_root(tmp_path):
    """A content folder holding only a copy of the shipped matrix file."""
    (tmp_path / "matrices").mkdir()
    shutil.copy(SHIPPED, tmp_path / "matrices" / SHIPPED.name)
    return tmp_path


def write(root: Path, text: str, name: str = "broken.toml") -> Path:
    path = root / "matrices" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shipped_text_with(old: str, new: str) -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_shipped_matrix_has_exactly_the_issues_verdicts(matrix):
    assert matrix.is_published
    assert [c.key for c in matrix.columns.all()] == ["weak", "strong"]
    assert [c.label for c in matrix.columns.all()] == ["Weak base", "Strong base"]
    assert matrix.columns.get(is_default=True).key == "weak"
    assert [r.label for r in matrix.rows.all()] == [
        "Domain coverage", "Output format", "Regulatory audit", "Reasoning breadth",
    ]  # fmt: skip
    cells = MatrixCell.objects.filter(column__matrix=matrix).select_related("row", "column")
    assert {(c.row.key, c.column.key): c.verdict for c in cells} == ISSUE_TABLE
    assert all(c.explanation_html.startswith("<p>") for c in cells)
    assert matrix.publishing_problems() == []


def test_the_shipped_matrix_has_the_three_track_presets(matrix):
    presets = {p.key: p for p in AdvisorPreset.objects.select_related("course")}
    assert {key: p.course.slug for key, p in presets.items()} == {
        "clinical-documentation": "clinical-documentation-ai",
        "medical-imaging": "medical-imaging-ai",
        "diagnostics": "ai-diagnostics",
    }
    assert presets["medical-imaging"].perception is True
    assert "does not decide" in presets["medical-imaging"].note
    assert presets["clinical-documentation"].reasons == ["constrained_format", "smaller_or_auditable"]


def test_shipped_explanations_stay_in_the_projects_own_words():
    text = SHIPPED.read_text(encoding="utf-8")
    source = (
        Path(__file__).resolve().parents[3] / "shared" / "source" / "article-generalist-vs-specialist.txt"
    )
    if not source.exists():
        pytest.skip("the source article is not beside the repository")
    article = source.read_text(encoding="utf-8")
    # No run of eight words from the article appears in the matrix file.
    words = article.split()
    runs = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    flat = " ".join(text.split())
    assert [run for run in runs if run in flat] == []


def test_winners_agree_with_the_verdicts(matrix):
    by_verdict = {
        cell.verdict: cell.winner for cell in MatrixCell.objects.filter(column__matrix=matrix)
    }
    assert by_verdict["Fine-tune wins"] == Winner.FINE_TUNE
    assert by_verdict["Generalist wins"] == Winner.GENERALIST
    assert by_verdict["No difference"] == Winner.NO_DIFFERENCE
    assert by_verdict["Marginal gain"] == Winner.NO_DIFFERENCE
    assert by_verdict["Prompting works"] == Winner.GENERALIST


def test_export_of_the_shipped_file_is_byte_identical(matrix, tmp_path):
    export_matrices(tmp_path)
    assert (tmp_path / "matrices" / "base-strength.toml").read_bytes() == SHIPPED.read_bytes()


def test_load_export_load_changes_nothing_and_exports_the_same_bytes(tracks, content_root, tmp_path):
    first = LoadStats()
    load_matrices(content_root, first)
    assert first.created["matrices"] == 1
    assert first.created["matrix cells"] == 8
    assert first.created["advisor presets"] == 3

    export_matrices(tmp_path / "one")
    again = LoadStats()
    load_matrices(tmp_path / "one", again)
    assert not again.changed
    assert again.unchanged["matrices"] == 1
    assert again.unchanged["matrix cells"] == 8
    export_matrices(tmp_path / "two")
    one = (tmp_path / "one" / "matrices" / "base-strength.toml").read_bytes()
    two = (tmp_path / "two" / "matrices" / "base-strength.toml").read_bytes()
    assert one == two


def test_the_handler_is_registered_between_courses_and_lessons(tracks, content_root, tmp_path):
    names = [handler.name for handler in handlers()]
    assert "matrices" in names
    assert next(h for h in handlers() if h.name == "matrices").order == 20
    stats = load_tree(content_root)
    assert stats.created["matrices"] == 1
    export_tree(tmp_path)
    assert (tmp_path / "matrices" / "base-strength.toml").read_bytes() == SHIPPED.read_bytes()


def test_an_edited_file_updates_only_what_changed(matrix, content_root):
    write(
        content_root,
        shipped_text_with('verdict = "Prompting works"', 'verdict = "Prompting is enough"'),
        "base-strength.toml",
    )
    stats = LoadStats()
    load_matrices(content_root, stats)
    assert stats.updated["matrix cells"] == 1
    assert stats.unchanged["matrix cells"] == 7
    assert stats.unchanged["matrices"] == 1
    assert MatrixCell.objects.filter(verdict="Prompting is enough").count() == 1


def test_correcting_a_winner_remarks_the_predictions_on_that_cell(matrix, content_root, learner):
    cell = MatrixCell.objects.get(row__key="output-format", column__key="strong")
    MatrixPrediction.objects.create(user=learner, cell=cell, predicted="fine_tune", is_correct=False)
    write(
        content_root,
        shipped_text_with(
            'verdict = "Prompting works"\nwinner = "generalist"',
            'verdict = "Prompting works"\nwinner = "fine_tune"',
        ),
        "base-strength.toml",
    )
    load_matrices(content_root, LoadStats())
    assert MatrixPrediction.objects.get().is_correct is True


def test_rows_and_presets_dropped_from_the_file_are_removed(matrix, content_root):
    text = SHIPPED.read_text(encoding="utf-8")
    head, _, rest = text.partition('[[rows]]\nkey = "reasoning-breadth"')
    rest = rest.split("\n\n", 1)[1]
    # Drop the row, its cells and the last preset.
    kept = [
        block
        for block in (head + rest).split("\n\n")
        if 'row = "reasoning-breadth"' not in block and 'key = "diagnostics"' not in block
    ]
    write(content_root, "\n\n".join(kept), "base-strength.toml")
    stats = LoadStats()
    load_matrices(content_root, stats)
    assert stats.updated["matrices"] == 1
    assert not MatrixRow.objects.filter(key="reasoning-breadth").exists()
    assert MatrixCell.objects.count() == 6
    assert not AdvisorPreset.objects.filter(key="diagnostics").exists()


def test_a_row_with_predictions_is_not_dropped_silently(matrix, content_root, learner):
    cell = MatrixCell.objects.get(row__key="reasoning-breadth", column__key="strong")
    MatrixPrediction.objects.create(user=learner, cell=cell, predicted="generalist", is_correct=True)
    text = SHIPPED.read_text(encoding="utf-8")
    blocks = [
        block
        for block in text.split("\n\n")
        if 'key = "reasoning-breadth"' not in block and 'row = "reasoning-breadth"' not in block
    ]
    write(content_root, "\n\n".join(blocks), "base-strength.toml")
    with pytest.raises(ContentError, match="predictions on \\(Reasoning breadth x Strong base"):
        load_matrices(content_root, LoadStats())


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title = "Fine-tune', 'title = \n"Fine-tune', "is not valid TOML"),
        ("is_published = true", "is_published = true\ncolour = \"red\"", "unknown key"),
        ('winner = "generalist"', 'winner = "the_specialist"', "'winner' must be one of"),
        ('column = "strong"\nverdict = "Marginal gain"', 'column = "medium"\nverdict = "Marginal gain"', "there is no column 'medium'"),
        ('row = "output-format"\ncolumn = "weak"', 'row = "output-formats"\ncolumn = "weak"', "there is no row 'output-formats'"),
        ('row = "output-format"\ncolumn = "weak"', 'row = "domain-coverage"\ncolumn = "weak"', "a second cell for row 'domain-coverage'"),
        ('label = "Strong base"', 'label = "Strong base"\ndefault = true', "Mark exactly one column as the default, the one learners see first; 2 are marked."),
        ('key = "strong"', 'key = "Strong base"', "must be a slug"),
        ('reasons = ["constrained_format", "smaller_or_auditable"]', 'reasons = ["cheaper"]', "unknown reason(s) cheaper"),
        ('base = "strong"\nreasons = []\nperception = true', 'base = "huge"\nreasons = []\nperception = true', "'base' must be one of"),
        ('course = "ai-diagnostics"', 'course = "no-such-course"', "there is no course 'no-such-course'"),
        ('verdict = "Marginal gain"', 'verdict = "' + "x" * 61 + '"', "the limit is 60"),
        ('perception = false\nnote = """\nStructured', 'perception = "no"\nnote = """\nStructured', "'perception' must be true or false"),
    ],
)  # fmt: skip
def test_a_bad_file_is_a_content_error_naming_file_and_problem(tracks, content_root, old, new, problem):
    path = write(content_root, shipped_text_with(old, new), "base-strength.toml")
    with pytest.raises(ContentError) as caught:
        load_tree(content_root)
    assert caught.value.path == path
    assert problem in caught.value.problem
    assert DecisionMatrix.objects.count() == 0, "a broken file changes nothing"


def test_a_missing_cell_is_a_content_error(tracks, content_root):
    text = SHIPPED.read_text(encoding="utf-8")
    blocks = [
        b for b in text.split("\n\n") if 'row = "regulatory-audit"\ncolumn = "strong"' not in b
    ]
    write(content_root, "\n\n".join(blocks), "base-strength.toml")
    with pytest.raises(ContentError, match="Missing: regulatory-audit \u00d7 strong"):
        load_matrices(content_root, LoadStats())


def test_a_file_name_must_be_a_slug(tracks, content_root):
    write(content_root, SHIPPED.read_text(encoding="utf-8"), "base strength.toml")
    with pytest.raises(ContentError, match="file name must be"):
        load_matrices(content_root, LoadStats())


def test_read_matrix_file_keeps_file_order(tmp_path):
    spec = read_matrix_file(SHIPPED)
    assert [column["key"] for column in spec.columns] == ["weak", "strong"]
    assert [preset["key"] for preset in spec.presets] == [
        "clinical-documentation", "medical-imaging", "diagnostics",
    ]  # fmt: skip


def test_a_folder_without_matrices_loads_nothing(db, tmp_path):
    stats = LoadStats()
    load_matrices(tmp_path, stats)
    assert not stats.changed
    export_matrices(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_column_order_follows_the_file(matrix, content_root):
    text = SHIPPED.read_text(encoding="utf-8")
    weak = '[[columns]]\nkey = "weak"\nlabel = "Weak base"\ndefault = true\n'
    strong = '[[columns]]\nkey = "strong"\nlabel = "Strong base"\n'
    write(content_root, text.replace(weak + "\n" + strong, strong + "\n" + weak), "base-strength.toml")
    load_matrices(content_root, LoadStats())
    assert list(MatrixColumn.objects.values_list("key", flat=True)) == ["strong", "weak"]
