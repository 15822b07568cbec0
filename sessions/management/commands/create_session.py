"""`manage.py create_session --protocol SLUG [--counselor USERNAME]`: one room, as JSON.

Scripts, benchmarks and tests need a room without clicking through the site;
the output is one JSON object so they never have to parse prose.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from sessions.protocols.loader import builtin_protocols
from sessions.store import creation


class Command(BaseCommand):
    help = "Create a couple session and print {code, join_url, protocol} as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--protocol", required=True, help="Protocol slug, e.g. daily-checkin.")
        parser.add_argument("--counselor", help="Username of the counselor hosting the session.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Where Stay is served, for the join link (default: STAY_PUBLIC_URL when set,"
            " else http://127.0.0.1:8000).",
        )

    def handle(self, *args, protocol, counselor, base_url, **options):
        if base_url is None:
            base_url = settings.STAY.get("PUBLIC_URL") or "http://127.0.0.1:8000"
        base = _checked_base_url(base_url)
        host = None
        if counselor is not None:
            User = get_user_model()
            try:
                host = User.objects.get(**{User.USERNAME_FIELD: counselor})
            except User.DoesNotExist:
                raise CommandError(f"No user called {counselor!r}.") from None
        try:
            session = creation.create_session(protocol, host)
        except creation.UnknownProtocol as exc:
            raise CommandError(f"{exc}. Known built-in protocols: {_known()}.") from None
        out = {
            "code": session.code,
            "join_url": base + reverse("join", kwargs={"code": session.code}),
            "protocol": session.protocol_slug,
        }
        self.stdout.write(json.dumps(out))


def _checked_base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise CommandError(f"--base-url must look like https://stay.example.org; got {raw!r}")
    return raw.rstrip("/")


def _known() -> str:
    return ", ".join(sorted(builtin_protocols())) or "none"
