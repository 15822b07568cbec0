"""`manage.py load_protocols`: bring the built-in protocols into the database.

Idempotent (`make run` calls it on every start): a protocol file that has not
changed is left alone, a changed one is updated. Running sessions keep their own
copy, so an update never changes a room in progress.
"""

from django.core.management.base import BaseCommand, CommandError

from sessions.management.protocol_files import read_protocol
from sessions.models import Protocol
from sessions.protocols.loader import BUILTIN_DIR


class Command(BaseCommand):
    help = "Create or update the built-in protocols from sessions/protocols/*.toml."

    def handle(self, *args, **options):
        paths = sorted(BUILTIN_DIR.glob("*.toml"))
        if not paths:
            raise CommandError(f"No protocol files found in {BUILTIN_DIR}.")
        created = updated = unchanged = 0
        clashes = []
        for path in paths:
            text, doc = read_protocol(path)
            row = Protocol.objects.filter(slug=doc["slug"]).first()
            if row is not None and row.owner_id is not None:
                clashes.append(
                    f"{path.name}: the slug {doc['slug']!r} belongs to a counselor's own "
                    "protocol; rename that one (built-in slugs are reserved)."
                )
                continue
            if row is None:
                row = Protocol(is_builtin=True)
                created += 1
            elif row.source == text and row.doc == doc and row.is_builtin:
                unchanged += 1
                continue
            else:
                updated += 1
            row.source = text
            row.is_builtin = True
            row.fill_from_doc(doc)
            row.save()
        self.stdout.write(
            f"Built-in protocols: {created} new, {updated} updated, {unchanged} unchanged."
        )
        if clashes:
            raise CommandError("\n".join(clashes))
