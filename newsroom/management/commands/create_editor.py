import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom.accounts import ROLE_GROUPS, editor_create


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). Asks for a password on a "
        "terminal with --prompt; otherwise generates one and prints it once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument(
            "--role",
            choices=list(ROLE_GROUPS),
            default="chief",
            help=(
                "chief editors also publish, unpublish and undo imports; translators change "
                "only the English (translator) or Thai (translator-th) fields"
            ),
        )
        parser.add_argument(
            "--prompt", action="store_true", help="Ask for the password when a terminal is present."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Say so and succeed when the account exists already.",
        )

    def handle(self, *, username, role, prompt, if_missing, **options):
        password = self._ask() if prompt and sys.stdin.isatty() else None
        try:
            user, password_used = editor_create(username=username, password=password, role=role)
        except ValueError as error:
            if if_missing:
                self.stdout.write(
                    f"{error} Reset its password with "
                    f"`.venv/bin/python manage.py changepassword {username}`."
                )
                return
            raise CommandError(error) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Account created: {user.username} ({role})"))
        if password is None:
            self.stdout.write(f"Password (shown once, not stored anywhere): {password_used}")

    def _ask(self) -> str:
        first = getpass.getpass("Password for the editor account: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ; nothing was created.")
        return first
