"""Serializers of the analytics API: the query parameters, and the summary's shape."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fintrack.core.fields import DateField, MoneyTotalField, PercentField, StrictCharField
from fintrack.core.periods import MONTH_PATTERN, Period, current_month, parse_month

MAX_TREND_MONTHS = 60


def _month(value: str, field: str) -> Period:
    try:
        return parse_month(value)
    except ValueError as exc:
        raise serializers.ValidationError({field: [str(exc)]}) from exc


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"})
class MonthParameterField(serializers.CharField):
    """A `YYYY-MM` query parameter (checked by the serializer that reads it)."""


class SummaryQuerySerializer(serializers.Serializer):
    """`?month=YYYY-MM` or `?date_from=&date_to=`; neither means the current UTC month."""

    month = MonthParameterField(required=False, help_text="YYYY-MM; default the current month.")
    date_from = DateField(required=False)  # YYYY-MM-DD only, as everywhere
    date_to = DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        month, date_from, date_to = (attrs.get(k) for k in ("month", "date_from", "date_to"))
        if month is not None and (date_from or date_to):
            raise serializers.ValidationError(
                {"month": ["Give either month or date_from and date_to, not both."]}
            )
        if (date_from is None) != (date_to is None):
            missing = "date_to" if date_to is None else "date_from"
            raise serializers.ValidationError(
                {missing: ["A range needs both date_from and date_to."]}
            )
        if date_from and date_to:
            if date_from > date_to:
                raise serializers.ValidationError({"date_from": ["date_from is after date_to."]})
            period = Period(date_from, date_to)
            try:
                previous = period.previous()
            except OverflowError as exc:
                raise serializers.ValidationError(
                    {"date_from": ["The range has no previous period to compare with."]}
                ) from exc
        else:
            period = current_month() if month is None else _month(month, "month")
            try:
                previous = period.previous_month()
            except ValueError as exc:
                raise serializers.ValidationError(
                    {"month": ["The month has no previous month to compare with."]}
                ) from exc
        return {"period": period, "previous": previous}


class TrendsQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(
        required=False, default=12, min_value=1, max_value=MAX_TREND_MONTHS
    )
    end = MonthParameterField(required=False, help_text="YYYY-MM; default the current month.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = current_month() if attrs.get("end") is None else _month(attrs["end"], "end")
        # The first month must exist too (no year 0).
        if end.start.year * 12 + end.start.month - attrs["months"] < 12:
            raise serializers.ValidationError({"end": ["The window starts before year 1."]})
        return {"end_year": end.start.year, "end_month": end.start.month, "months": attrs["months"]}


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class CategoryTotalSerializer(serializers.Serializer):
    category = StrictCharField()
    total = MoneyTotalField()
    count = serializers.IntegerField()
    percent = PercentField()


class PreviousPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    total_income = MoneyTotalField()
    total_expenses = MoneyTotalField()
    net = MoneyTotalField()


class SummarySerializer(serializers.Serializer):
    period = PeriodSerializer(source="current.period")
    currency = StrictCharField()
    total_income = MoneyTotalField()
    total_expenses = MoneyTotalField()
    net = MoneyTotalField()
    savings_rate = PercentField()
    goal_contributions = MoneyTotalField()
    income_by_category = CategoryTotalSerializer(many=True)
    expenses_by_category = CategoryTotalSerializer(many=True)
    previous_period = PreviousPeriodSerializer(source="previous")


class TrendMonthSerializer(serializers.Serializer):
    month = StrictCharField()
    total_income = MoneyTotalField()
    total_expenses = MoneyTotalField()
    net = MoneyTotalField()
    savings_rate = PercentField()


class TrendsSerializer(serializers.Serializer):
    currency = StrictCharField()
    months = TrendMonthSerializer(many=True)
