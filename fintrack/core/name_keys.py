"""The stored comparison key of a user-typed name, kept in step with the name it folds."""

from typing import Any

from django.db import models

from .names import fold_name

# A fold can be longer than its name (ß folds to ss, ﬃ to ffi): room for three times it.
KEY_LENGTH_FACTOR = 3


class NameKeyField(models.CharField):
    """`fold_name()` of the model's `source` field, computed on every save and bulk_create.

    Lookups and the uniqueness constraint use this column, so both databases match names on
    exactly the string Python computed (SQLite's LOWER() folds ASCII only, PostgreSQL's
    disagrees with Python's beyond it).
    """

    def __init__(self, *args: Any, source: str = "name", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, Any, Any, Any]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        key = fold_name(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, key)
        return key


# Joins a key and a row id where two existing names fold alike: refused in names, so no typed
# name can ever fold to such a key.
_DUPLICATE_SEPARATOR = "\x1f"


def populate_name_keys(
    model: Any, scope: tuple[str, ...], *, source: str = "name", key_field: str = "name_key"
) -> None:
    """Fill the key column of existing rows (a data migration's step).

    Names that were distinct under LOWER() can fold alike (the Kelvin sign and K): the first
    one keeps the key, the others get a key no typed name can match, so the new constraint
    holds and no row is lost; they stay listed and can be renamed.
    """
    seen: set[tuple[Any, ...]] = set()
    changed = []
    for row in model.objects.order_by("pk").iterator():
        key = fold_name(getattr(row, source))
        identity = (*(getattr(row, field) for field in scope), key)
        if identity in seen:
            key = f"{key}{_DUPLICATE_SEPARATOR}{row.pk}"
        seen.add(identity)
        setattr(row, key_field, key)
        changed.append(row)
    model.objects.bulk_update(changed, [key_field], batch_size=1000)
