"""`manage.py create_counselor USERNAME [--name "Dana Reyes"] [--password-from-env VAR]`.

Counselor accounts are ordinary Django users (a superuser can make them in the
admin too). The password comes from an environment variable or an interactive
prompt, never from the command line, where it would land in shell history and
in the process list. `--name` is the counselor's first and last name: the rooms
she hosts show it to the couple ("Dana called a longer break") instead of her
username.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = "Create a counselor account (or set a new password for an existing one)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the name the counselor signs in with")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="read the password from this environment variable (for scripts and tests)",
        )
        parser.add_argument(
            "--email", default="", help="optional contact address kept with the account"
        )
        parser.add_argument(
            "--name",
            default=None,
            help='first and last name shown to the couples she hosts, e.g. "Dana Reyes"',
        )

    def handle(self, *args, username, password_from_env=None, email="", name=None, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("USERNAME must not be empty.")
        username_field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            username_field.run_validators(username)
        except ValidationError as error:
            raise CommandError(f"USERNAME {username!r}: {' '.join(error.messages)}") from error

        first_name, last_name = self._name(name)
        password = self._password(password_from_env)
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        candidate = user or User(**{User.USERNAME_FIELD: username}, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error

        if user is None:
            user = User.objects.create_user(
                username,
                email=email,
                password=password,
                first_name=first_name or "",
                last_name=last_name or "",
            )
            self.stdout.write(
                f"Created counselor {username!r}. They can sign in at {reverse('counselor:login')}."
            )
        else:
            user.set_password(password)
            fields = ["password"]
            if name is not None:
                user.first_name, user.last_name = first_name, last_name
                fields += ["first_name", "last_name"]
            user.save(update_fields=fields)
            self.stdout.write(
                f"Counselor {username!r} already existed; their password was changed."
            )
        if name is not None:
            self.stdout.write(f"Rooms this counselor hosts show the name {user.get_full_name()!r}.")

    def _name(self, name: str | None) -> tuple[str, str]:
        """`Dana Reyes` → ("Dana", "Reyes"); the last word is the last name."""
        if name is None:
            return "", ""
        words = name.split()
        if not words:
            raise CommandError("--name must not be empty (give a first and last name).")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in name.strip()):
            raise CommandError("--name cannot hold control characters.")
        first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (words[0], "")
        if len(first) > 150 or len(last) > 150:
            raise CommandError("--name is too long (150 characters each for first and last name).")
        return first, last

    def _password(self, env_var: str | None) -> str:
        if env_var:
            value = os.environ.get(env_var)
            if not value:
                raise CommandError(f"Environment variable {env_var} is not set or is empty.")
            return value
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for a password: pass --password-from-env VAR instead."
            )
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("The two passwords did not match; nothing was changed.")
        if not first:
            raise CommandError("The password must not be empty.")
        return first
