"""Categories are matched by a stored folded key (fintrack.core.names.fold_name), not LOWER()."""

from django.db import migrations, models

import fintrack.core.name_keys
from fintrack.core.name_keys import populate_name_keys


def populate(apps, schema_editor):
    populate_name_keys(apps.get_model("ledger", "Category"), ("user_id", "kind"))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_entry_list_index_covers_amount"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_key",
            field=fintrack.core.name_keys.NameKeyField(default="", max_length=192, source="name"),
            preserve_default=False,
        ),
        migrations.RunPython(populate, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="category",
            name="ledger_category_name_ci_unique",
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                fields=("user", "kind", "name_key"), name="ledger_category_name_key_unique"
            ),
        ),
    ]
