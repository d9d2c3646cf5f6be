"""`manage.py materialize_recurring`: create every user's due recurring occurrences now.

For operators who want the records to exist before anyone signs in (an export run by cron,
say). The API never depends on it: every request creates its user's due occurrences first.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fintrack.recurring.services import recurring_materialize_all


class Command(BaseCommand):
    help = "Create the recurring occurrences due today (UTC) or earlier, for every user."

    def handle(self, *args: Any, **options: Any) -> None:
        users, records = recurring_materialize_all()
        self.stdout.write(f"Created {records} record(s) for {users} user(s).")
