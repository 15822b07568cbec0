"""`manage.py purge_expired`: delete the couples' data Stay promised not to keep.

Run it daily (cron, a systemd timer). An active or paused session is never
touched, whatever its dates say. Counselor notes stay with the counselor,
detached from the deleted session. The markers that let a partner hear "you both
agreed to delete it" go once they are older than the finished-session retention.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from sessions.models import CoupleSession
from sessions.store.deletion import drop_old_deletion_markers


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
        markers = drop_old_deletion_markers(timezone.now())
        self.stdout.write(f"Deleted {count} expired sessions and {markers} old deletion markers.")
