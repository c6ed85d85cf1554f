"""``manage.py createinstructor <username>``: a staff account in the Instructors group."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import INSTRUCTORS, sync_instructors_group

PASSWORD_ENV = "DJANGO_INSTRUCTOR_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        f"Create a staff account in the '{INSTRUCTORS}' group, or make an existing account one. "
        f"Asks for the new account's password; with --no-input it reads {PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Email address for a new account.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help=f"Do not prompt; take a new account's password from {PASSWORD_ENV}.",
        )  # fmt: skip

    def handle(self, *args, username, email, interactive, **options):
        User = get_user_model()
        group = sync_instructors_group()
        user = User.objects.filter(username=username).first()
        if user is None:
            candidate = User(username=username, email=email)
            password = self.password(candidate, interactive)
            user = User.objects.create_user(
                username=username, email=email, password=password, is_staff=True
            )
            message = f"Created the instructor account '{username}'."
        else:
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            message = f"'{username}' already had an account; it is now an instructor."
        user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(message))

    def password(self, candidate, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if not password and interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ. Nothing was created.")
        if not password:
            raise CommandError(f"No password: set {PASSWORD_ENV} or run without --no-input.")
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages) + " Nothing was created.") from error
        return password
