"""Wire and storage fields: money exact in the database and on the wire, text strictly text.

Every amount and percentage a client reads is rendered by `format_money` / `format_percent`,
through the serializer fields below or directly by the list's fast row formatter.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from .money import MAX_AMOUNT, MIN_AMOUNT, from_cents, quantize_money, to_cents

if TYPE_CHECKING:
    # To the type checker a MoneyField is set and read as a Decimal (not as the int it stores).
    _MoneyBase = models.BigIntegerField[Decimal | Combinable, Decimal]
else:
    _MoneyBase = models.BigIntegerField


class MoneyField(_MoneyBase):
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


def format_money(value: Decimal) -> str:
    """An amount as clients read it: "1234.50", two decimals, never an exponent or "-0.00"."""
    return f"{quantize_money(value):f}"


def format_percent(value: Decimal) -> str:
    """A percentage as clients read it: "12.50" (percent() has rounded it half up)."""
    return f"{quantize_money(value):f}"


class MoneyTotalField(serializers.DecimalField):
    """A read-only sum of money: "1234.50", as many whole digits as it takes (a total may have
    more than one record's twelve, and bounding it would turn a large total into a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(max_digits=None, decimal_places=2, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return format_money(value)


class PercentField(serializers.DecimalField):
    """A read-only percentage: "12.50", or null where its base is zero (a savings rate can be
    up to 10^4 times a total when the income is 0.01, so it is not bounded either)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(max_digits=None, decimal_places=2, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return format_percent(value)


# Python's Decimal() also reads "1_000", fullwidth and Arabic-Indic digits: the wire does not;
# nor, as the schema says (amount_schema), leading zeros ("0012.50") or a bare point ("5.").
_AMOUNT_TEXT = re.compile(r"-?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|\.[0-9]+)", re.ASCII)


class _StrictDecimalMixin:
    """Amount strings of ASCII digits with an optional point (JSON numbers pass as parsed)."""

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, str) and not _AMOUNT_TEXT.fullmatch(data):
            self.fail("invalid")  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class _MoneyPrecision(serializers.DecimalField):
    """A DecimalField whose precision errors say what is wrong with an amount.

    DRF checks the total number of digits first, so a float sent as a JSON number
    (0.1 + 0.2 = 0.30000000000000004) was told "no more than 12 digits in total"; the decimal
    places are what is wrong with it, so they are checked first.
    """

    default_error_messages = {
        "max_decimal_places": "An amount has at most two decimal places (whole cents).",
        "max_whole_digits": "An amount has at most {max_whole_digits} digits before the "
        "decimal point.",
    }

    def validate_precision(self, value: Decimal) -> Decimal:
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # NaN and infinities are refused before this
        decimal_places = max(0, -exponent)
        whole_digits = max(0, len(digits) + exponent)
        if self.decimal_places is not None and decimal_places > self.decimal_places:
            self.fail("max_decimal_places", max_decimal_places=self.decimal_places)
        if self.max_whole_digits is not None and whole_digits > self.max_whole_digits:
            self.fail("max_whole_digits", max_whole_digits=self.max_whole_digits)
        return value


class AmountField(_StrictDecimalMixin, _MoneyPrecision):
    """A record amount on the wire: "12.50"; input a string or number, > 0, two decimals."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_AMOUNT)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return format_money(value)


class SignedAmountField(_StrictDecimalMixin, _MoneyPrecision):
    """A contribution's amount: an AmountField that is negative for a withdrawal."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -MAX_AMOUNT)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return format_money(value)


def amount_schema(direction: str, *, signed: bool = False) -> dict[str, Any]:
    """What the OpenAPI schema says of an amount: always a two-decimal string in answers; in
    requests a string or a number, at most ten whole digits and two decimals, never zero."""
    sign = "-?" if signed else ""
    if direction == "response":
        return {
            "type": "string",
            "format": "decimal",
            "pattern": rf"^{sign}[0-9]{{1,10}}\.[0-9]{{2}}$",
            "example": "12.50",
        }
    nonzero = rf"^{sign}(?:[1-9][0-9]{{0,9}}(?:\.[0-9]{{1,2}})?|0?\.(?:0[1-9]|[1-9][0-9]?))$"
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


# A calendar date as the API writes it, and the only way it reads one (bodies and queries).
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class DateField(serializers.DateField):
    """A calendar date as YYYY-MM-DD only: Python's fromisoformat() also reads ISO weeks
    ("2025-W01" as 2024-12-30), basic forms ("20250101") and non-ASCII digits."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str) and not DATE_TEXT.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


def money_total_schema() -> dict[str, Any]:
    """What the OpenAPI schema says of a sum of money (a MoneyTotalField, a list's total)."""
    return {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?\d+\.\d{2}$",
        "example": "1234.50",
    }


class MoneyTotalFieldSchema(OpenApiSerializerFieldExtension):
    target_class = MoneyTotalField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return money_total_schema()


class PercentFieldSchema(OpenApiSerializerFieldExtension):
    target_class = PercentField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "decimal",
            "pattern": r"^-?\d+\.\d{2}$",
            "example": "12.50",
        }


class StrictTextMixin(serializers.CharField):
    """Text is a JSON string: a number, a boolean or null where text is expected is a 400
    naming the field, not stored as its text ("description": 0 is not "0")."""

    default_error_messages = {"not_a_string": "Not a valid string: send text in quotes."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin):
    """The CharField of every fintrack serializer (tests/test_strict_text_api.py checks it)."""


class StrictEmailField(StrictTextMixin, serializers.EmailField):
    """An email address, sent as a JSON string."""


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false: DRF's BooleanField also takes 0, 1, "yes" and "off", which the
    schema (a boolean) does not allow."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: DRF's IntegerField also takes "30" and "30.0" as text, which the schema
    (an integer) does not allow. A number with no fraction (30.0, which the parser reads as a
    Decimal) is the same JSON number, so it is taken."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, Decimal) and data.is_finite() and data == data.to_integral_value():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
