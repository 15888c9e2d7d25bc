from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import login_records_prune

# Long enough to look into a string of failed logins, short enough not to keep a history.
LOGIN_RECORDS_KEEP_DAYS = 30


class Command(BaseCommand):
    help = "Delete login records (attempts, logins, failures) older than --days days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=LOGIN_RECORDS_KEEP_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        deleted = login_records_prune(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} login records older than {days} days.")
