"""The import_id column of records becomes a ForeignKey to imports.Import (field
`source_import`, column `import_id`, CASCADE).

On SQLite the change rebuilds ledger_entry and drops its triggers: as in migration 0005, the
last operation recreates the daily-total triggers and rebuilds the totals.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_migration_0005 = importlib.import_module(
    "fintrack.ledger.migrations.0005_tags_external_id_provenance"
)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_entry_recurring_foreign_key"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _migration_0005.recreate_sqlite_triggers),
        # No import existed before this migration: any value would break the new constraint.
        migrations.RunSQL(
            "UPDATE ledger_entry SET import_id = NULL WHERE import_id IS NOT NULL",
            migrations.RunSQL.noop,
        ),
        migrations.RenameField(model_name="entry", old_name="import_id", new_name="source_import"),
        migrations.AlterField(
            model_name="entry",
            name="source_import",
            field=models.ForeignKey(
                blank=True,
                db_column="import_id",
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="imports.import",
            ),
        ),
        migrations.RunPython(_migration_0005.recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
