"""Serializers of the ledger API: what a record and a category look like on the wire."""

import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, tzinfo
from functools import partial
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fintrack.core.api.name_field import NameField
from fintrack.core.api.schema import ProblemSerializer
from fintrack.core.fields import AmountField, DateField, StrictCharField, format_money

from .. import services
from ..models import (
    CATEGORY_NAME_MAX_LENGTH,
    DEFAULT_CATEGORY,
    DESCRIPTION_MAX_LENGTH,
    EXTERNAL_ID_MAX_LENGTH,
    MAX_TAGS_PER_ENTRY,
    TAG_NAME_MAX_LENGTH,
    Category,
    Entry,
    Kind,
    Tag,
)

TAG_NAME_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": TAG_NAME_MAX_LENGTH,
    "pattern": "^[^,;]*$",
    "example": "trip-lisbon",
}


@extend_schema_field(
    {
        "type": "array",
        "items": TAG_NAME_SCHEMA,
        "description": f"Tag names, any case; created on first use. At most {MAX_TAGS_PER_ENTRY} "
        "distinct names (a name repeated in any case counts once, its first spelling is "
        "stored); no comma or semicolon. Replaces the whole list.",
        "example": ["trip-lisbon", "shared"],
    }
)
class TagNamesField(serializers.Field):
    """A record's tags as sent: the cleaned, distinct names (services.tag_names_clean)."""

    default_error_messages = {"not_a_list": "Expected a list of tag names."}

    def to_internal_value(self, data: Any) -> list[str]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        try:
            return services.tag_names_clean(data)
        except services.InvalidValue as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value: Any) -> list[str]:
        return list(value)


class ExternalIdField(StrictCharField):
    """An external id as sent: exact (never trimmed); an empty string or null is none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(
            max_length=EXTERNAL_ID_MAX_LENGTH,
            allow_blank=True,
            allow_null=True,
            trim_whitespace=False,
        )
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> str | None:
        text = super().run_validation(data)  # "" and None come back as they are
        try:
            return services.external_id_clean(text)
        except services.InvalidValue as exc:
            raise serializers.ValidationError(exc.messages) from exc


# A record on the wire, the one definition of its shape: each field, in order, and the column
# it is read from (None for the tags, which come from their own table). EntrySerializer's
# fields, the list's rows (selectors.entry_list_rows) and the fast row formatter below all
# follow it.
ENTRY_FIELDS: dict[str, str | None] = {
    "id": "id",
    "amount": "amount",
    "date": "date",
    "category": "category__name",
    "description": "description",
    "tags": None,
    "external_id": "external_id",
    "recurring_id": "recurring_id",
    "import_id": "source_import_id",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
ENTRY_COLUMNS = tuple(column for column in ENTRY_FIELDS.values() if column is not None)
_COLUMN_FIELDS = tuple(name for name, column in ENTRY_FIELDS.items() if column is not None)
_ENTRY_ATTRIBUTES = operator.attrgetter(*(column.replace("__", ".") for column in ENTRY_COLUMNS))


class EntrySerializer(serializers.ModelSerializer):
    """A record as clients read it."""

    amount = AmountField()
    category = StrictCharField(source="category.name")
    tags: serializers.SlugRelatedField[Tag] = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Tag names in their stored spelling, sorted case-insensitively.",
    )
    external_id = StrictCharField(allow_null=True)
    recurring_id = serializers.IntegerField(
        allow_null=True, help_text="The recurring rule that created the record, if any."
    )
    import_id = serializers.IntegerField(
        source="source_import_id",
        allow_null=True,
        help_text="The import that created the record, if any.",
    )

    class Meta:
        model = Entry
        fields = list(ENTRY_FIELDS)
        read_only_fields = fields

    def to_representation(self, instance: Entry) -> dict[str, Any]:
        tags = sorted(instance.tags.all(), key=lambda tag: (tag.name_key, tag.name))
        tz = timezone.get_current_timezone()
        return entry_representation(entry_row(instance), [tag.name for tag in tags], tz)


def entry_row(entry: Entry) -> tuple[Any, ...]:
    """An entry as a row of ENTRY_COLUMNS (its category joined)."""
    return tuple(_ENTRY_ATTRIBUTES(entry))


def entry_representation(row: Sequence[Any], tags: list[str], tz: tzinfo) -> dict[str, Any]:
    """A record as EntrySerializer's fields render it, from a row of ENTRY_COLUMNS and its
    sorted tag names."""
    return _entry_renderer(tz)(row, tags)


def entry_rows_representation(
    rows: Iterable[Sequence[Any]], tags: dict[int, list[str]]
) -> list[dict[str, Any]]:
    """The records of a list page (rows of ENTRY_COLUMNS, with the tag names of each record by
    its id), rendered as EntrySerializer renders each. Each field's to_representation is
    called directly: DRF's generic field-by-field loop was a quarter of a list request
    (docs/benchmarks.md); a test holds this to the generic output."""
    render = _entry_renderer(timezone.get_current_timezone())
    return [render(row, tags.get(row[0], [])) for row in rows]


def _entry_renderer(tz: tzinfo) -> Callable[[Sequence[Any], list[str]], dict[str, Any]]:
    """A function rendering one row of ENTRY_COLUMNS and its tags, with datetimes in the time
    zone `tz`: the row zipped with the field names, then the fields that are not sent as read
    formatted, in the order of ENTRY_FIELDS."""
    formatted: tuple[tuple[str, Callable[[Any], str]], ...] = (
        ("amount", format_money),
        ("date", date.isoformat),
        ("created_at", partial(_iso_datetime, tz=tz)),
        ("updated_at", partial(_iso_datetime, tz=tz)),
    )
    names = tuple(ENTRY_FIELDS)

    def render(row: Sequence[Any], tags: list[str]) -> dict[str, Any]:
        record = dict(zip(_COLUMN_FIELDS, row, strict=True))
        for name, format_ in formatted:
            record[name] = format_(record[name])
        record["tags"] = tags
        return {name: record[name] for name in names}

    return render


def _iso_datetime(value: datetime, tz: tzinfo) -> str:
    """serializers.DateTimeField's ISO 8601 output: in the current time zone, UTC as Z."""
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class EntryInputSerializer(serializers.Serializer):
    """A record as clients write it; unknown and read-only fields are ignored."""

    amount = AmountField()
    date = DateField(required=False, help_text="Defaults to today (UTC).")
    category = NameField(
        max_length=CATEGORY_NAME_MAX_LENGTH,
        required=False,
        help_text=f'A category name, any case; created on first use. Default "{DEFAULT_CATEGORY}".',
    )
    description = StrictCharField(
        max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True
    )
    tags = TagNamesField(required=False)
    external_id = ExternalIdField(
        required=False,
        help_text="Your own id of the record (a bank's), 1 to 100 printable characters, exact; "
        "unique per kind. An empty string or null is none; left out, it is kept.",
    )


class CategorySerializer(serializers.ModelSerializer):
    name = NameField(max_length=CATEGORY_NAME_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=Kind.choices)

    class Meta:
        model = Category
        fields = ["id", "name", "kind"]

    def validate_kind(self, value: str) -> str:
        if self.instance is not None and value != self.instance.kind:
            raise serializers.ValidationError("The kind of a category cannot change.")
        return value


class TagNameField(StrictCharField):
    """A tag name as sent: cleaned by the tag rules (services.tag_name_clean)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(max_length=TAG_NAME_MAX_LENGTH, trim_whitespace=False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            return services.tag_name_clean(text)
        except services.InvalidValue as exc:
            raise serializers.ValidationError(exc.messages) from exc


class TagSerializer(serializers.ModelSerializer):
    """A tag, with the number of records carrying it (annotated by the selector)."""

    name = TagNameField(help_text="1 to 32 characters, no comma or semicolon; unique in any case.")
    records = serializers.IntegerField(read_only=True, help_text="Records carrying the tag.")

    class Meta:
        model = Tag
        fields = ["id", "name", "records"]


BULK_MAX_RECORDS = 500


class EntryBulkInputSerializer(serializers.Serializer):
    """A bulk create as sent (documentation: the view validates each record on its own, to
    key the errors by position)."""

    records = serializers.ListField(
        child=EntryInputSerializer(), min_length=1, max_length=BULK_MAX_RECORDS
    )


class EntryBulkSerializer(serializers.Serializer):
    """The records a bulk create made, in the order sent."""

    records = EntrySerializer(many=True)


class BulkProblemSerializer(ProblemSerializer):
    """RFC 9457 problem details of a refused bulk create: `errors` nested by position."""


# Declared as ProblemSerializer declares its own `errors` (a name Serializer also uses).
BulkProblemSerializer._declared_fields["errors"] = serializers.JSONField(
    required=False,
    help_text='{"records": {"<0-based position>": {"<field>": ["message"]}}} for invalid '
    'records, {"records": ["message"]} for a bad list, {"<field>": ["message"]} otherwise.',
)
