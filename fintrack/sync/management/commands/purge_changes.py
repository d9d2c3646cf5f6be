"""`manage.py purge_changes`: delete the changes feed's tombstones older than 90 days.

Run it daily (a cron job, a platform's scheduler). Clients whose cursor is older than what it
removed get 410 and start a full sync."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fintrack.sync.services import TOMBSTONE_DAYS, tombstones_purge


class Command(BaseCommand):
    help = "Delete the changes feed's tombstones older than --days (default 90)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=TOMBSTONE_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < TOMBSTONE_DAYS:
            self.stderr.write(f"--days below {TOMBSTONE_DAYS} would break the contract")
            raise SystemExit(2)
        removed = tombstones_purge(older_than_days=options["days"])
        self.stdout.write(f"{removed} tombstones purged")
