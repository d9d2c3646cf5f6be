"""App config for fintrack.core."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "fintrack.core"
    label = "core"

    def ready(self) -> None:
        # Registers the icontains_unicode lookup, and the SQLite function it needs on every
        # connection (fintrack/core/search.py).
        from . import search

        connection_created.connect(
            search.register_sqlite_functions, dispatch_uid="fintrack.core.search"
        )
