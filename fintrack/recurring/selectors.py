"""Reads on recurring rules: the list, and the forecast of the occurrences ahead."""

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

from django.db.models import F, QuerySet

from fintrack.accounts.models import User
from fintrack.core.money import ZERO
from fintrack.ledger.models import Kind

from .models import RecurringRule

MAX_UPCOMING_LISTED = 1000


def rules_ordered(queryset: QuerySet[RecurringRule]) -> QuerySet[RecurringRule]:
    """The list's order: the next to occur first, ended and paused rules last."""
    return (
        queryset.select_related("category")
        .prefetch_related("tags")
        .order_by(F("next_date").asc(nulls_last=True), "id")
    )


@dataclass(frozen=True)
class Occurrence:
    date: date
    recurring_id: int
    kind: str
    amount: Decimal
    category: str
    description: str


@dataclass(frozen=True)
class Upcoming:
    total_income: Decimal
    total_expenses: Decimal
    occurrences: list[Occurrence]
    truncated: bool

    @property
    def net(self) -> Decimal:
        return self.total_income - self.total_expenses


def _occurrences(rule: RecurringRule, first: date, last: date) -> Iterator[Occurrence]:
    for day in rule.schedule.between(first, last):
        yield Occurrence(day, rule.pk, rule.kind, rule.amount, rule.category.name, rule.description)


def upcoming_for(*, user: User, today: date, days: int) -> Upcoming:
    """The occurrences dated after today up to today + days, by date then rule: a cash-flow
    forecast. The totals cover them all; the list stops at MAX_UPCOMING_LISTED.

    The dates are computed, not stored, so this is arithmetic in Python; it reads the rules in
    one query, and its work is bounded by 100 rules x 366 days."""
    first, last = today + timedelta(days=1), today + timedelta(days=days)
    rules = list(
        RecurringRule.objects.for_user(user)
        .filter(active=True, next_date__isnull=False, next_date__lte=last)
        .select_related("category")
        .order_by("id")
    )
    totals = {Kind.INCOME: ZERO, Kind.EXPENSE: ZERO}
    streams = []
    for rule in rules:
        assert rule.next_date is not None  # filtered above
        start = max(first, rule.next_date)
        count = sum(1 for _ in rule.schedule.between(start, last))
        totals[Kind(rule.kind)] += rule.amount * count
        streams.append(_occurrences(rule, start, last))
    merged = heapq.merge(*streams, key=lambda o: (o.date, o.recurring_id))
    listed = list(islice(merged, MAX_UPCOMING_LISTED + 1))
    return Upcoming(
        total_income=totals[Kind.INCOME],
        total_expenses=totals[Kind.EXPENSE],
        occurrences=listed[:MAX_UPCOMING_LISTED],
        truncated=len(listed) > MAX_UPCOMING_LISTED,
    )
