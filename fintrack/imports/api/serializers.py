"""Serializers of the imports API: an import, its rows, and the query parameters."""

import json
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fintrack.core.fields import StrictCharField
from fintrack.core.money import CENT
from fintrack.ledger.models import Kind

from ..models import Import, ImportRow, ImportStatus, Verdict
from ..reader import DATE_FORMATS, DECIMALS


class ImportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    filename = serializers.SerializerMethodField(help_text="Always null (the body is the file).")
    rows = serializers.IntegerField(help_text="Data rows of the file.")
    new = serializers.IntegerField(help_text="Rows that are (or were) created.")
    duplicates = serializers.IntegerField(help_text="Rows repeating a record or an earlier row.")
    errors = serializers.IntegerField(  # type: ignore[assignment]
        help_text="Rows that cannot be created."
    )

    class Meta:
        model = Import
        fields = [
            "id",
            "status",
            "filename",
            "rows",
            "new",
            "duplicates",
            "errors",
            "created_at",
            "committed_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_filename(self, batch: Import) -> str | None:
        return None


class ImportRecordSerializer(serializers.Serializer):
    """A row as the record it would create."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    amount = StrictCharField(help_text='Two decimals, e.g. "12.50".')
    date = serializers.DateField()
    category = StrictCharField()
    description = StrictCharField(allow_blank=True)
    tags = serializers.ListField(child=StrictCharField())
    external_id = StrictCharField(allow_null=True)


class ImportRowSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(
        help_text="The file's line where the row starts (the header is 1)."
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    errors = serializers.SerializerMethodField()  # type: ignore[assignment]
    record = serializers.SerializerMethodField()
    duplicate_of = serializers.IntegerField(
        allow_null=True,
        help_text="The existing record this row repeats; null for a row repeating an earlier "
        "row of the file, and for new and error rows.",
    )

    class Meta:
        model = ImportRow
        fields = ["line", "verdict", "errors", "record", "duplicate_of"]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    )
    def get_errors(self, row: ImportRow) -> dict[str, list[str]] | None:
        """Field errors of an `error` row (the messages of a create); null otherwise."""
        return json.loads(row.errors) if row.errors else None

    @extend_schema_field(ImportRecordSerializer(allow_null=True))
    def get_record(self, row: ImportRow) -> dict[str, Any] | None:
        if row.verdict == Verdict.ERROR:
            return None
        return {
            "kind": row.kind,
            "amount": f"{row.amount.quantize(CENT):f}",
            "date": row.date.isoformat() if row.date else None,
            "category": row.category,
            "description": row.description,
            "tags": row.tags.split(";") if row.tags else [],
            "external_id": row.external_id,
        }


class ImportParamsSerializer(serializers.Serializer):
    commit = serializers.ChoiceField(
        choices=["false", "true"], default="false", help_text="true: create the new rows now."
    )
    date_format = serializers.ChoiceField(choices=list(DATE_FORMATS), default="YYYY-MM-DD")
    decimal = serializers.ChoiceField(
        choices=list(DECIMALS), default="point", help_text="comma: 1.234,56 reads 1234.56."
    )


class RowParamsSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)


class ExportParamsSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["csv", "json"], default="csv")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
