"""``manage.py validate_protocol FILE [FILE...]``: check protocol files before use.

Meant for people writing protocols: every problem in every file is printed, so
one run shows everything to fix, and the exit code lets scripts and CI gate on it.
"""

from django.core.management.base import BaseCommand, CommandError

from sessions.protocols import ProtocolError, load_protocol_file, step_count


class Command(BaseCommand):
    # Checking a file needs neither the database nor the URL configuration.
    requires_system_checks = []
    help = "Validate protocol TOML files; prints every problem and exits 1 if any file is invalid."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="protocol .toml files")

    def handle(self, *args, **options):
        failed = 0
        for name in options["files"]:
            try:
                doc = load_protocol_file(name)
            except ProtocolError as exc:
                failed += 1
                for line in exc.errors:
                    self.stderr.write(line)
                continue
            languages = ", ".join(doc["languages"])
            self.stdout.write(
                f"ok: {doc['slug']} ({step_count(doc)} steps, ~{doc['minutes']} min; "
                f"languages: {languages})"
            )
        if failed:
            files = "file" if failed == 1 else "files"
            raise CommandError(f"{failed} {files} with errors", returncode=1)
