"""Serializers of the budgets API: a budget, and the status of a month."""

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fintrack.core.api.name_field import NameField
from fintrack.core.fields import AmountField, StrictBooleanField, StrictCharField
from fintrack.core.periods import MONTH_PATTERN, current_month, parse_month
from fintrack.ledger.models import CATEGORY_NAME_MAX_LENGTH

from ..models import Budget


def _money() -> serializers.DecimalField:
    # Sums, carries and remainders: of any sign, and beyond one record's 12 digits.
    return serializers.DecimalField(max_digits=None, decimal_places=2)


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-01"})
class MonthStringField(serializers.Field):
    """A calendar month as `YYYY-MM`, held as the date of its first day."""

    default_error_messages = {"invalid": "Enter a month as YYYY-MM."}

    def to_internal_value(self, data: Any) -> date:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_month(data).start
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


class BudgetSerializer(serializers.ModelSerializer):
    """A budget as clients read and write it."""

    category = NameField(
        source="category.name",
        max_length=CATEGORY_NAME_MAX_LENGTH,
        help_text="An expense category name, any case; created on first use.",
    )
    amount = AmountField(help_text="The cap of each month, > 0.")
    start_month = MonthStringField()
    end_month = MonthStringField(
        allow_null=True, required=False, help_text="The last month, inclusive; null: no end."
    )
    rollover = StrictBooleanField(
        required=False,
        help_text="Carry what is left of a month (negative when overspent) into the next.",
    )

    class Meta:
        model = Budget
        fields = [
            "id",
            "category",
            "amount",
            "start_month",
            "end_month",
            "rollover",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class BudgetLineSerializer(serializers.Serializer):
    budget_id = serializers.IntegerField()
    category = StrictCharField()
    budgeted = _money()
    carried_over = _money()
    available = _money()
    spent = _money()
    remaining = _money()
    percent_used = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text="spent / available * 100, half up, not capped; null when available <= 0.",
    )
    state = serializers.ChoiceField(choices=["ok", "warning", "over"])


class BudgetStatusSerializer(serializers.Serializer):
    month = StrictCharField(help_text="YYYY-MM")
    currency = StrictCharField()
    total_budgeted = _money()
    total_available = _money()
    total_spent = _money()
    total_remaining = _money()
    unbudgeted_spent = _money()
    categories = BudgetLineSerializer(many=True, source="lines")


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"})
class MonthParameterField(serializers.CharField):
    """A `YYYY-MM` query parameter, cleaned to the month's Period."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return parse_month(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class BudgetStatusQuerySerializer(serializers.Serializer):
    month = MonthParameterField(
        required=False, help_text="YYYY-MM; default the current month (UTC)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"month": attrs.get("month") or current_month()}
