"""The content registry: handlers run in order, in one transaction, and every app registers."""

import pytest

from core import content
from core.content_files import ContentError, LoadStats
from courses.models import Course


def test_every_app_with_content_files_registers_in_load_order():
    assert [handler.name for handler in content.handlers()] == [
        "courses", "matrices", "blocks", "lessons", "block objectives", "quizzes",
        "search",  # no files: it rebuilds the search index from what the others loaded
    ]  # fmt: skip


def test_a_missing_folder_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="is not a folder"):
        content.load_tree(tmp_path / "nowhere")


@pytest.mark.django_db
def test_a_failing_handler_rolls_back_what_earlier_handlers_wrote(tmp_path, monkeypatch):
    def write_a_course(root, stats: LoadStats):
        Course.objects.create(slug="c", title="C", summary="S")

    def fail(root, stats):
        raise ContentError(root / "broken.toml", "is broken")

    monkeypatch.setattr(content, "_handlers", {})
    content.register("first", order=1, load=write_a_course, export=lambda root: None)
    content.register("second", order=2, load=fail, export=lambda root: None)
    with pytest.raises(ContentError, match="is broken"):
        content.load_tree(tmp_path)
    assert not Course.objects.exists()
