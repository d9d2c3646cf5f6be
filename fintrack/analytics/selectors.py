"""The summary of a period and the monthly trends: a fixed handful of aggregate queries each."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from fintrack.accounts.models import User
from fintrack.core.money import ZERO, percent
from fintrack.core.periods import Period, month_period, shift_month
from fintrack.goals.models import Contribution
from fintrack.ledger.models import DailyTotal, Kind


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    total: Decimal
    count: int
    percent: Decimal | None


@dataclass(frozen=True)
class PeriodTotals:
    period: Period
    total_income: Decimal
    total_expenses: Decimal

    @property
    def net(self) -> Decimal:
        return self.total_income - self.total_expenses

    @property
    def savings_rate(self) -> Decimal | None:
        """Net as a share of income; None when there is no income."""
        return percent(self.net, self.total_income)


@dataclass(frozen=True)
class Summary:
    current: PeriodTotals
    previous: PeriodTotals
    goal_contributions: Decimal
    income_by_category: list[CategoryTotal]
    expenses_by_category: list[CategoryTotal]


@dataclass(frozen=True)
class MonthTotals(PeriodTotals):
    @property
    def month(self) -> str:
        return f"{self.period.start.year:04d}-{self.period.start.month:02d}"


def _kind_sum(kind: str, condition: Q | None = None) -> Sum:
    match = Q(kind=kind) if condition is None else Q(kind=kind) & condition
    return Sum("total", filter=match, default=0)


def summary_for_period(*, user: User, period: Period, previous: Period) -> Summary:
    """Totals of `period` and `previous`, the category breakdown and the goal contributions.

    Three queries. The first two read the per-day totals (ledger.DailyTotal), an index range
    scan on (user, date) whose size follows the days in the period, not the records.
    """
    entries = DailyTotal.objects.for_user(user)
    in_current = Q(date__gte=period.start, date__lte=period.end)
    in_previous = Q(date__gte=previous.start, date__lte=previous.end)

    # Both periods in one scan: they are adjacent, so one range covers them.
    totals = entries.filter(date__gte=previous.start, date__lte=period.end).aggregate(
        income=_kind_sum(Kind.INCOME, in_current),
        expenses=_kind_sum(Kind.EXPENSE, in_current),
        previous_income=_kind_sum(Kind.INCOME, in_previous),
        previous_expenses=_kind_sum(Kind.EXPENSE, in_previous),
    )
    current = PeriodTotals(period, totals["income"], totals["expenses"])
    before = PeriodTotals(previous, totals["previous_income"], totals["previous_expenses"])

    by_category = (
        entries.filter(in_current)
        .values("kind", "category__name")
        .annotate(total=Sum("total"), count=Sum("count"))
        .order_by("kind", "-total", "category__name")
    )
    side_totals: dict[str, Decimal] = {
        Kind.INCOME: current.total_income,
        Kind.EXPENSE: current.total_expenses,
    }
    breakdown: dict[str, list[CategoryTotal]] = {Kind.INCOME: [], Kind.EXPENSE: []}
    for row in by_category:  # one row per category, not per record
        breakdown[row["kind"]].append(
            CategoryTotal(
                category=row["category__name"],
                total=row["total"],
                count=row["count"],
                percent=percent(row["total"], side_totals[row["kind"]]),
            )
        )

    contributions = Contribution.objects.for_user(user).filter(
        date__gte=period.start, date__lte=period.end
    )
    goal_contributions = contributions.aggregate(total=Sum("amount", default=0))["total"]

    return Summary(
        current=current,
        previous=before,
        goal_contributions=goal_contributions,
        income_by_category=breakdown[Kind.INCOME],
        expenses_by_category=breakdown[Kind.EXPENSE],
    )


def monthly_trends(*, user: User, end_year: int, end_month: int, months: int) -> list[MonthTotals]:
    """One entry per month, oldest first, ending with (end_year, end_month); empty months zero.

    One grouped query over the per-day totals of the window.
    """
    first = month_period(*shift_month(end_year, end_month, -(months - 1)))
    last = month_period(end_year, end_month)
    rows = (
        DailyTotal.objects.for_user(user)
        .filter(date__gte=first.start, date__lte=last.end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(income=_kind_sum(Kind.INCOME), expenses=_kind_sum(Kind.EXPENSE))
        .order_by()
    )
    by_month: dict[date, tuple[Decimal, Decimal]] = {
        _as_date(row["month"]): (row["income"], row["expenses"]) for row in rows
    }
    trend = []
    for offset in range(months):
        period = month_period(*shift_month(first.start.year, first.start.month, offset))
        income, expenses = by_month.get(period.start, (ZERO, ZERO))
        trend.append(MonthTotals(period, income, expenses))
    return trend


def _as_date(value: date) -> date:
    # TruncMonth of a DateField is a date on both backends; a datetime would be a bug upstream.
    return value.date() if isinstance(value, datetime) else value
