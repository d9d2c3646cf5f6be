"""Seeded random ledgers for the analytics tests, and an independent model of their totals.

Nothing here calls fintrack's analytics or money code: expected values are computed in plain
Python from the generated records (integer cents and exact fractions), so a wrong aggregate,
a float sum or a wrong rounding in the code under test cannot also be in the expectation.
"""

import calendar
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fintrack.accounts.models import User
from fintrack.goals.models import Contribution, Goal
from fintrack.ledger.models import Category, Entry

MAX_CENTS = 999_999_999_999  # 9999999999.99, the largest amount a record may have
INCOME_CATEGORIES = ("Dividends", "Freelance", "Gifts", "Salary")
EXPENSE_CATEGORIES = (
    "Books",
    "Dining",
    "Groceries",
    "Health",
    "Rent",
    "Transport",
    "Travel",
    "Utilities",
)
GOALS = ("Holiday", "Laptop")


@dataclass(frozen=True)
class Record:
    """An income or expense as the test generated it."""

    owner: str
    kind: str
    category: str
    cents: int
    day: date


@dataclass(frozen=True)
class Movement:
    """A goal contribution (positive) or withdrawal (negative)."""

    owner: str
    goal: str
    cents: int
    day: date


@dataclass(frozen=True)
class Ledger:
    records: tuple[Record, ...]
    movements: tuple[Movement, ...]


# --- generation -------------------------------------------------------------------------------


def _random_day(rng: random.Random, first: date, last: date) -> date:
    """A day in [first, last]; one in four lands on the first or last day of its month."""
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    if rng.random() < 0.25:
        edge = 1 if rng.random() < 0.5 else calendar.monthrange(day.year, day.month)[1]
        day = min(max(day.replace(day=edge), first), last)
    return day


def _random_cents(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.03:  # near the largest amount a record may have
        return rng.randint(MAX_CENTS - 1_000_000, MAX_CENTS)
    if roll < 0.10:  # small change, where a float sum drifts first
        return rng.randint(1, 99)
    return rng.randint(1, 500_000)


def random_ledger(
    seed: int, *, first: date, last: date, records: dict[str, int], movements: dict[str, int]
) -> Ledger:
    """`records[owner]` incomes and expenses and `movements[owner]` goal contributions each,
    dated in [first, last], reproducible from `seed`."""
    rng = random.Random(seed)
    generated = []
    for owner, count in records.items():
        for _ in range(count):
            kind = "income" if rng.random() < 0.35 else "expense"
            names = INCOME_CATEGORIES if kind == "income" else EXPENSE_CATEGORIES
            generated.append(
                Record(
                    owner=owner,
                    kind=kind,
                    category=rng.choice(names),
                    cents=_random_cents(rng),
                    day=_random_day(rng, first, last),
                )
            )
    moves = []
    for owner, count in movements.items():
        for _ in range(count):
            withdrawal = rng.random() < 0.3
            cents = rng.randint(1, 50_000) if withdrawal else rng.randint(1, 200_000)
            moves.append(
                Movement(
                    owner=owner,
                    goal=rng.choice(GOALS),
                    cents=-cents if withdrawal else cents,
                    day=_random_day(rng, first, last),
                )
            )
    return Ledger(records=tuple(generated), movements=tuple(moves))


def to_amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def seed_ledger(ledger: Ledger, users: dict[str, User]) -> list[Entry]:
    """Store the ledger with bulk_create; categories and goals are reused across calls.

    Returns the created entries (with their ids), in the order of `ledger.records`."""
    categories: dict[tuple[str, str, str], Category] = {}
    for record in ledger.records:
        key = (record.owner, record.kind, record.category)
        if key not in categories:
            categories[key], _ = Category.objects.get_or_create(
                user=users[record.owner], kind=record.kind, name=record.category
            )
    entries = Entry.objects.bulk_create(
        Entry(
            user=users[record.owner],
            kind=record.kind,
            amount=to_amount(record.cents),
            date=record.day,
            category=categories[(record.owner, record.kind, record.category)],
        )
        for record in ledger.records
    )
    goals: dict[tuple[str, str], Goal] = {}
    for movement in ledger.movements:
        goal_key = (movement.owner, movement.goal)
        if goal_key not in goals:
            goals[goal_key], _ = Goal.objects.get_or_create(
                user=users[movement.owner],
                name=movement.goal,
                defaults={"target_amount": Decimal("1000000.00")},
            )
    Contribution.objects.bulk_create(
        Contribution(
            goal=goals[(movement.owner, movement.goal)],
            amount=to_amount(movement.cents),
            date=movement.day,
        )
        for movement in ledger.movements
    )
    return entries


# --- the independent computation --------------------------------------------------------------


def money(cents: int) -> str:
    """Integer cents -> the wire format, "1234.50"."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole}.{fraction:02d}"


def percent(part: int, whole: int) -> str | None:
    """part / whole * 100 from exact fractions, rounded half up (away from zero) to hundredths;
    None when `whole` is zero. A value that rounds to zero is "0.00", unsigned."""
    if whole == 0:
        return None
    hundredths = Fraction(part * 100 * 100, whole)
    rounded = math.floor(abs(hundredths) + Fraction(1, 2))
    return money(rounded if hundredths >= 0 else -rounded)


def in_period(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def totals(ledger: Ledger, owner: str, start: date, end: date) -> tuple[int, int]:
    """(income, expenses) in cents of `owner` between `start` and `end` inclusive."""
    income = expenses = 0
    for record in ledger.records:
        if record.owner == owner and in_period(record.day, start, end):
            if record.kind == "income":
                income += record.cents
            else:
                expenses += record.cents
    return income, expenses


def breakdown(
    ledger: Ledger, owner: str, kind: str, start: date, end: date
) -> list[dict[str, Any]]:
    sums: dict[str, int] = {}
    counts: dict[str, int] = {}
    for record in ledger.records:
        if record.owner == owner and record.kind == kind and in_period(record.day, start, end):
            sums[record.category] = sums.get(record.category, 0) + record.cents
            counts[record.category] = counts.get(record.category, 0) + 1
    side = sum(sums.values())
    return [
        {
            "category": name,
            "total": money(total),
            "count": counts[name],
            "percent": percent(total, side),
        }
        for name, total in sorted(sums.items(), key=lambda item: (-item[1], item[0]))
    ]


def summary_payload(
    ledger: Ledger,
    owner: str,
    period: tuple[date, date],
    previous: tuple[date, date],
    currency: str = "USD",
) -> dict[str, Any]:
    """The whole GET /api/summary/ answer, computed from the generated records."""
    start, end = period
    income, expenses = totals(ledger, owner, start, end)
    previous_income, previous_expenses = totals(ledger, owner, *previous)
    contributed = sum(
        movement.cents
        for movement in ledger.movements
        if movement.owner == owner and in_period(movement.day, start, end)
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "currency": currency,
        "total_income": money(income),
        "total_expenses": money(expenses),
        "net": money(income - expenses),
        "savings_rate": percent(income - expenses, income),
        "goal_contributions": money(contributed),
        "income_by_category": breakdown(ledger, owner, "income", start, end),
        "expenses_by_category": breakdown(ledger, owner, "expense", start, end),
        "previous_period": {
            "start": previous[0].isoformat(),
            "end": previous[1].isoformat(),
            "total_income": money(previous_income),
            "total_expenses": money(previous_expenses),
            "net": money(previous_income - previous_expenses),
        },
    }


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def months_ending(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """`count` (year, month) pairs, oldest first, the last being (year, month)."""
    pairs = []
    for _ in range(count):
        pairs.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return pairs[::-1]


def trends_payload(
    ledger: Ledger, owner: str, end: tuple[int, int], count: int, currency: str = "USD"
) -> dict[str, Any]:
    """The whole GET /api/summary/trends/ answer, computed from the generated records."""
    months = []
    for year, month in months_ending(*end, count):
        income, expenses = totals(ledger, owner, *month_bounds(year, month))
        months.append(
            {
                "month": f"{year:04d}-{month:02d}",
                "total_income": money(income),
                "total_expenses": money(expenses),
                "net": money(income - expenses),
                "savings_rate": percent(income - expenses, income),
            }
        )
    return {"currency": currency, "months": months}
