"""Usernames are matched by a stored folded key (fintrack.core.names.fold_name): sign-in's
lookup, the uniqueness constraint and the failed sign-in counters all use the same one."""

from django.db import migrations

import fintrack.core.name_keys
from fintrack.core.name_keys import populate_name_keys


def populate(apps, schema_editor):
    populate_name_keys(
        apps.get_model("accounts", "User"), (), source="username", key_field="username_key"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_token_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=fintrack.core.name_keys.NameKeyField(
                default="", max_length=450, source="username"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(populate, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=fintrack.core.name_keys.NameKeyField(
                max_length=450, source="username", unique=True
            ),
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_username_ci_unique",
        ),
    ]
