"""Substring search (`?search=`) by trigram GIN indexes, on PostgreSQL only.

Django's icontains is `UPPER(column::text) LIKE UPPER('%term%')` there, which no b-tree can
serve: these expression indexes can. SQLite has no such index and keeps its scan. Without the
pg_trgm extension (a role that may not create it, a server without contrib) the migration
skips the indexes: search stays correct, only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "ledger_entry_description_trgm": "ledger_entry USING gin (UPPER(description::text) gin_trgm_ops)",
    "ledger_category_name_trgm": "ledger_category USING gin (UPPER(name::text) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm is unavailable (%s): search works without its indexes.", exc)
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_category_name_key"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
