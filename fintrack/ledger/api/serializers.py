"""Serializers of the ledger API: what a record and a category look like on the wire."""

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from fintrack.core.fields import AmountField
from fintrack.core.money import CENT

from ..models import (
    CATEGORY_NAME_MAX_LENGTH,
    DEFAULT_CATEGORY,
    DESCRIPTION_MAX_LENGTH,
    Category,
    Entry,
    Kind,
)


class EntrySerializer(serializers.ModelSerializer):
    """A record as clients read it."""

    amount = AmountField()
    category = serializers.CharField(source="category.name")

    class Meta:
        model = Entry
        fields = ["id", "amount", "date", "category", "description", "created_at", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: Entry) -> dict[str, Any]:
        row = (
            instance.id,
            instance.amount,
            instance.date,
            instance.category.name,
            instance.description,
            instance.created_at,
            instance.updated_at,
        )
        return entry_representation(row, timezone.get_current_timezone())


def entry_representation(row: Sequence[Any], tz: tzinfo) -> dict[str, Any]:
    """A record as EntrySerializer's fields render it, from a row of
    selectors.ENTRY_LIST_FIELDS: each field's to_representation, unrolled. DRF's generic
    field-by-field loop was a quarter of a list request (docs/benchmarks.md); a test holds
    this to the generic output."""
    id_, amount, day, category, description, created_at, updated_at = row
    return {
        "id": id_,
        "amount": f"{amount.quantize(CENT):f}",
        "date": day.isoformat(),
        "category": category,
        "description": description,
        "created_at": _iso_datetime(created_at, tz),
        "updated_at": _iso_datetime(updated_at, tz),
    }


def entry_rows_representation(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    tz = timezone.get_current_timezone()
    return [entry_representation(row, tz) for row in rows]


def _iso_datetime(value: datetime, tz: tzinfo) -> str:
    """serializers.DateTimeField's ISO 8601 output: in the current time zone, UTC as Z."""
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EntryInputSerializer(serializers.Serializer):
    """A record as clients write it; unknown and read-only fields are ignored."""

    amount = AmountField()
    date = serializers.DateField(required=False, help_text="Defaults to today (UTC).")
    category = serializers.CharField(
        max_length=CATEGORY_NAME_MAX_LENGTH,
        required=False,
        help_text=f'A category name, any case; created on first use. Default "{DEFAULT_CATEGORY}".',
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True
    )


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=CATEGORY_NAME_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=Kind.choices)

    class Meta:
        model = Category
        fields = ["id", "name", "kind"]

    def validate_kind(self, value: str) -> str:
        if self.instance is not None and value != self.instance.kind:
            raise serializers.ValidationError("The kind of a category cannot change.")
        return value
