"""Money arithmetic: every rounding of an amount or a percentage goes through here."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
MAX_AMOUNT = Decimal("9999999999.99")
MIN_AMOUNT = CENT


def quantize_money(value: Decimal) -> Decimal:
    """Round to cents, half up (the rule users expect from a receipt).

    A tiny negative value rounds to Decimal("-0.00"); clients get a plain "0.00" instead.
    """
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return ZERO if rounded.is_zero() else rounded


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part / whole * 100`, rounded half up to two decimals; None when `whole` is zero."""
    if not whole:
        return None
    return quantize_money(part * HUNDRED / whole)


def to_cents(amount: Decimal) -> int:
    """Decimal amount -> integer minor units. Refuses sub-cent values rather than rounding."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has more than two decimal places")
    return int(cents)


def from_cents(cents: int | Decimal) -> Decimal:
    """Integer minor units (an int from SQLite, a numeric Decimal from PostgreSQL) -> Decimal."""
    return (Decimal(cents) / 100).quantize(CENT)
