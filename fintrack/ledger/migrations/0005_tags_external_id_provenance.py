"""Tags, external ids and provenance columns on records.

On SQLite, adding the tags (and the constraints) rebuilds ledger_entry: a new table is made,
the rows copied, the old table dropped, and its triggers go with it. The last operation
recreates the daily-total triggers of migration 0002 and rebuilds the totals from the
records, so summaries stay exact (tests/test_ledger_migrations.py). PostgreSQL alters the
table in place and keeps its triggers.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_triggers = importlib.import_module("fintrack.ledger.migrations.0002_dailytotal_triggers")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [
        *_triggers.SQLITE_BACKWARD,
        "DELETE FROM ledger_dailytotal",
        _triggers.BACKFILL,
        *_triggers.SQLITE_FORWARD,
    ]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        # Written beside 0005_category_name_key and 0006 and kept under its first name (later
        # migrations name it); it runs after them.
        ("ledger", "0006_entry_search_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplying rebuilds the table too: this runs last then, and recreates the triggers.
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name="entry",
            name="external_id",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="import_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="recurring_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=32)),
                ("name_key", models.CharField(max_length=96)),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tags",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name_key", "id"],
            },
        ),
        migrations.CreateModel(
            name="EntryTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="ledger.entry",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="ledger.tag",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="entry",
            name="tags",
            field=models.ManyToManyField(
                blank=True, related_name="entries", through="ledger.EntryTag", to="ledger.tag"
            ),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id__isnull", False)),
                fields=("user", "kind", "external_id"),
                name="ledger_entry_external_id_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("user", "name_key"), name="ledger_tag_name_key_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="entrytag",
            index=models.Index(fields=["tag", "entry"], name="ledger_entrytag_tag_idx"),
        ),
        migrations.AddConstraint(
            model_name="entrytag",
            constraint=models.UniqueConstraint(
                fields=("entry", "tag"), name="ledger_entrytag_unique"
            ),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
