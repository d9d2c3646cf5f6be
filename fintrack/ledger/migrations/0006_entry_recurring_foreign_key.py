"""Records' recurring_id becomes a ForeignKey to the rule that created them (SET_NULL).

The column stays as it is (same name, same type): only Django's state changes, plus, on
PostgreSQL, the foreign key constraint. Altering the column through Django would rebuild
ledger_entry on SQLite and drop its daily-total triggers (see 0005); SQLite has no foreign
key constraint added to an existing column anyway, and SET_NULL is done by Django itself.
A partial index serves "the records of this rule" (what deleting a rule updates).
"""

import django.db.models.deletion
from django.db import migrations, models

FOREIGN_KEY = "ledger_entry_recurring_id_fk_recurring_recurringrule_id"


def add_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE ledger_entry ADD CONSTRAINT {FOREIGN_KEY} FOREIGN KEY (recurring_id) "
            "REFERENCES recurring_recurringrule (id) DEFERRABLE INITIALLY DEFERRED"
        )


def drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE ledger_entry DROP CONSTRAINT {FOREIGN_KEY}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_tags_external_id_provenance"),
        ("recurring", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="entry", name="recurring_id"),
                migrations.AddField(
                    model_name="entry",
                    name="recurring",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="entries",
                        to="recurring.recurringrule",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(add_foreign_key, drop_foreign_key),
            ],
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                condition=models.Q(("recurring__isnull", False)),
                fields=["recurring"],
                name="ledger_entry_recurring_idx",
            ),
        ),
    ]
