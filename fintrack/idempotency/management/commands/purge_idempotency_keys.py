"""`manage.py purge_idempotency_keys`: delete stored answers past their 24 hours (for cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from fintrack.idempotency.services import purge_expired_records


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than the 24-hour retention window."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired_records()
        self.stdout.write(f"Purged {deleted} expired idempotency record(s).")
