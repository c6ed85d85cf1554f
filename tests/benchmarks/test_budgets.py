"""The query budgets live in one table (benchmarks/budgets.py) that the README shows as it is."""

import re
from pathlib import Path

from benchmarks import budgets

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# The tests that assert the counts, by name.
READERS = [
    ROOT / "tests" / "benchmarks" / "test_query_budgets.py",
    ROOT / "tests" / "progress" / "test_queries.py",
    ROOT / "tests" / "progress" / "test_cache.py",
    ROOT / "tests" / "practice" / "test_query_budgets.py",
    ROOT / "tests" / "review" / "test_query_budgets.py",
    ROOT / "tests" / "accounts" / "test_account.py",
    ROOT / "tests" / "accounts" / "test_due_dates.py",
    ROOT / "tests" / "notifications" / "test_views.py",
    ROOT / "tests" / "search" / "test_views.py",
]


def test_the_readme_shows_the_budgets_table_as_generated():
    block = budgets.readme_block(README.read_text(encoding="utf-8"))
    assert block is not None, f"README.md has no {budgets.START} ... {budgets.END} block"
    assert block == budgets.markdown(), (
        "README.md's query budgets differ from benchmarks/budgets.py; regenerate them with "
        "`.venv/bin/python -m benchmarks.budgets --write README.md`"
    )


def test_every_budget_is_within_its_ceiling():
    over = {name: b for name, b in budgets.QUERIES.items() if b.queries > b.limit}
    assert over == {}


def test_every_budget_is_asserted_by_a_test():
    text = "\n".join(path.read_text(encoding="utf-8") for path in READERS)
    named = set(re.findall(r"""["']([a-z_]+)["']""", text))
    assert set(budgets.QUERIES) - named == set()


def test_writing_the_block_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{budgets.START}\nstale\n{budgets.END}\nafter\n")
    assert budgets.write(readme) is True
    assert readme.read_text() == f"before\n{budgets.markdown()}\nafter\n"
    assert budgets.write(readme) is False
