"""`manage.py purge_expired`: delete the couples' data Stay promised not to keep.

Run it daily (cron, a systemd timer). What goes, and what never does, is the
store's rule (`sessions.store.retention.purge_expired`); this only reports it.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from sessions.store import retention


class Command(BaseCommand):
    help = "Delete expired sessions with their seats, events and leases; print how many."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        if dry_run:
            count = retention.count_expired(now)
            self.stdout.write(f"{count} expired sessions would be deleted.")
            return
        purged = retention.purge_expired(now)
        self.stdout.write(
            f"Deleted {purged.sessions} expired sessions and {purged.markers} old deletion markers."
        )
