"""Money fields: exact storage in the database and exact strings on the wire."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from .money import MAX_AMOUNT, MIN_AMOUNT, from_cents, quantize_money, to_cents


class MoneyField(models.BigIntegerField):
    """A Decimal amount stored as integer cents.

    SQLite has no exact decimal type (it sums DecimalField as floats), so amounts live as
    integers, which both databases add exactly; `Sum("amount")` still returns a Decimal
    because the aggregate takes this field as its output field.
    """

    description = "An amount of money, stored as integer minor units"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else from_cents(value)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return quantize_money(Decimal(str(value)))
        except InvalidOperation as exc:
            raise ValidationError("Enter a valid amount.", code="invalid") from exc

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, int):  # bare integers in lookups mean whole units
            value = Decimal(value)
        return to_cents(Decimal(value))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class AmountField(serializers.DecimalField):
    """A record amount on the wire: "12.50"; input a string or number, > 0, two decimals."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_AMOUNT)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)


class SignedAmountField(serializers.DecimalField):
    """A contribution's amount: an AmountField that is negative for a withdrawal."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -MAX_AMOUNT)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)


def amount_schema(direction: str, *, signed: bool = False) -> dict[str, Any]:
    """What the OpenAPI schema says of an amount: always a two-decimal string in answers; in
    requests a string or a number, at most ten whole digits and two decimals, never zero."""
    sign = "-?" if signed else ""
    if direction == "response":
        return {
            "type": "string",
            "format": "decimal",
            "pattern": rf"^{sign}\d{{1,10}}\.\d{{2}}$",
            "example": "12.50",
        }
    nonzero = rf"^{sign}(?:[1-9]\d{{0,9}}(?:\.\d{{1,2}})?|0?\.(?:0[1-9]|[1-9]\d?))$"
    number = {"type": "number", "minimum": -float(MAX_AMOUNT) if signed else float(MIN_AMOUNT)}
    number["maximum"] = float(MAX_AMOUNT)
    return {
        "oneOf": [{"type": "string", "format": "decimal", "pattern": nonzero}, number],
        "example": "12.50",
    }


class AmountFieldSchema(OpenApiSerializerFieldExtension):
    target_class = AmountField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return amount_schema(direction)


class SignedAmountFieldSchema(OpenApiSerializerFieldExtension):
    target_class = SignedAmountField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return amount_schema(direction, signed=True)
