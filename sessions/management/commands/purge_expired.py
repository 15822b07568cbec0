"""`manage.py purge_expired`: delete the couples' data Stay promised not to keep.

Run it daily (cron, a systemd timer). An active or paused session is never
touched, whatever its dates say. Counselor notes stay with the counselor,
detached from the deleted session.
"""

from django.core.management.base import BaseCommand

from sessions.models import CoupleSession


class Command(BaseCommand):
    help = "Delete expired sessions with their seats, events and leases; print how many."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run, **options):
        expired = CoupleSession.objects.expired()
        if dry_run:
            self.stdout.write(f"{expired.count()} expired sessions would be deleted.")
            return
        _, per_model = expired.delete()
        count = per_model.get(CoupleSession._meta.label, 0)
        self.stdout.write(f"Deleted {count} expired sessions.")
