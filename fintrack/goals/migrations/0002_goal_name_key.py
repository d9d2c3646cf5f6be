"""Goals are matched by a stored folded key (fintrack.core.names.fold_name), not LOWER()."""

from django.db import migrations, models

import fintrack.core.name_keys
from fintrack.core.name_keys import populate_name_keys


def populate(apps, schema_editor):
    populate_name_keys(apps.get_model("goals", "Goal"), ("user_id",))


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="name_key",
            field=fintrack.core.name_keys.NameKeyField(default="", max_length=300, source="name"),
            preserve_default=False,
        ),
        migrations.RunPython(populate, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="goal",
            name="goals_goal_name_ci_unique",
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.UniqueConstraint(
                fields=("user", "name_key"), name="goals_goal_name_key_unique"
            ),
        ),
    ]
