"""``manage.py load_content [path]``: read the course material files into the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.content import load_tree
from core.content_files import ContentError


class Command(BaseCommand):
    help = (
        "Create or update courses, matrices, lessons and quizzes from content files, by slug, "
        "in one transaction: a broken file changes nothing. See content/README.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="content", help="Default: content")

    def handle(self, *args, path, **options):
        try:
            stats = load_tree(Path(path))
        except ContentError as error:
            raise CommandError(f"{error.path}: {error.problem}\nNothing was changed.") from error
        self.stdout.write(stats.summary())
        verdict = "Loaded" if stats.changed else "Nothing to change in"
        self.stdout.write(self.style.SUCCESS(f"{verdict} {path}."))
