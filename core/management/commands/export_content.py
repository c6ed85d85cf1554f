"""``manage.py export_content [path]``: write the course material back out as files."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.content import export_tree


class Command(BaseCommand):
    help = (
        "Write courses, matrices, lessons and quizzes to files in the format load_content "
        "reads (content/README.md). Existing files of the same names are overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="content", help="Default: content")

    def handle(self, *args, path, **options):
        export_tree(Path(path))
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}."))
