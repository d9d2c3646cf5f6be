"""The serializer field of every user-typed name (categories, goals, tags)."""

from typing import Any

from rest_framework import serializers

from fintrack.core.fields import StrictCharField
from fintrack.core.names import InvalidName, normalize_name


class NameField(StrictCharField):
    """A name as stored: Unicode NFC, trimmed; control and invisible characters are a 400."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            name = normalize_name(value)
        except InvalidName as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from exc
        if not name and not self.allow_blank:
            self.fail("blank")
        return name
