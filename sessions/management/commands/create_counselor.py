"""`manage.py create_counselor USERNAME [--password-from-env VAR]`.

Counselor accounts are ordinary Django users (a superuser can make them in the
admin too). The password comes from an environment variable or an interactive
prompt, never from the command line, where it would land in shell history and
in the process list.
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

    def handle(self, *args, username, password_from_env=None, email="", **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("USERNAME must not be empty.")
        username_field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            username_field.run_validators(username)
        except ValidationError as error:
            raise CommandError(f"USERNAME {username!r}: {' '.join(error.messages)}") from error

        password = self._password(password_from_env)
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        candidate = user or User(**{User.USERNAME_FIELD: username}, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error

        if user is None:
            user = User.objects.create_user(username, email=email, password=password)
            self.stdout.write(
                f"Created counselor {username!r}. They can sign in at {reverse('counselor:login')}."
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(
                f"Counselor {username!r} already existed; their password was changed."
            )

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
