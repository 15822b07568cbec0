"""`manage.py load_protocol_file PATH`: put one protocol file in the database.

Tests (and anyone trying out a new protocol) need a protocol that is not one of
the built-ins, reachable by `create_session --protocol SLUG` and the home page.
It is stored like an admin-made protocol: no owner, not built-in. Prints the
slug as JSON so scripts never parse prose.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions.management.protocol_files import read_protocol
from sessions.models import Protocol


class Command(BaseCommand):
    help = "Validate a protocol TOML file and create or update it in the database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A protocol file, e.g. tests/browser/protocols/short.toml")

    def handle(self, *args, path, **options):
        file = Path(path)
        text, doc = read_protocol(file)
        row = Protocol.objects.filter(slug=doc["slug"]).first()
        if row is not None and (row.is_builtin or row.owner_id is not None):
            raise CommandError(
                f"{file.name}: the slug {doc['slug']!r} is already used by a built-in or a "
                "counselor's protocol; choose another slug."
            )
        row = row or Protocol()
        row.source = text
        row.fill_from_doc(doc)
        row.save()
        self.stdout.write(json.dumps({"slug": row.slug, "title": row.title}))
