"""Serializers of the ledger API: what a record and a category look like on the wire."""

from rest_framework import serializers

from fintrack.core.fields import AmountField

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
