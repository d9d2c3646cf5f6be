"""Reads on budgets: the list, and the status of a month computed from the ledger's per-day
totals in two queries, whatever the number of budgets, months or records."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Lower

from fintrack.accounts.models import User
from fintrack.core.fields import MoneyField
from fintrack.core.money import ZERO, percent
from fintrack.core.periods import Period
from fintrack.ledger.models import DailyTotal, Kind

from .models import Budget

WARNING_SHARE = Decimal("0.8")


class State:
    OK = "ok"
    WARNING = "warning"
    OVER = "over"


@dataclass(frozen=True)
class BudgetLine:
    """One budget in one month."""

    budget_id: int
    category: str
    budgeted: Decimal
    carried_over: Decimal
    spent: Decimal

    @property
    def available(self) -> Decimal:
        return self.budgeted + self.carried_over

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def percent_used(self) -> Decimal | None:
        """spent / available * 100 (half up, not capped); None when nothing is available."""
        return percent(self.spent, self.available) if self.available > 0 else None

    @property
    def state(self) -> str:
        if self.spent > self.available:
            return State.OVER
        if self.available > 0 and self.spent >= self.available * WARNING_SHARE:
            return State.WARNING
        return State.OK


@dataclass(frozen=True)
class BudgetStatus:
    month: Period
    lines: list[BudgetLine]
    unbudgeted_spent: Decimal

    @property
    def total_budgeted(self) -> Decimal:
        return sum((line.budgeted for line in self.lines), ZERO)

    @property
    def total_available(self) -> Decimal:
        return sum((line.available for line in self.lines), ZERO)

    @property
    def total_spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def total_remaining(self) -> Decimal:
        return sum((line.remaining for line in self.lines), ZERO)


def budgets_of(*, user: User) -> QuerySet[Budget]:
    """The user's budgets, ordered by category name (any case), then first month."""
    return (
        Budget.objects.for_user(user)
        .select_related("category")
        .order_by(Lower("category__name"), "category__name", "start_month", "id")
    )


def months_between(start: date, end: date) -> int:
    """Whole months from the month of `start` to the month of `end` (end excluded)."""
    return (end.year - start.year) * 12 + end.month - start.month


def _expenses_of_budget_category(**dates: object) -> Coalesce:
    """The sum of the budget's category's expenses over the given date bounds (a subquery
    on the per-day totals; an index range per budget, not a scan of the records)."""
    totals = (
        DailyTotal.objects.filter(
            user=OuterRef("user"), kind=Kind.EXPENSE, category=OuterRef("category"), **dates
        )
        .order_by()
        .values("category")
        .annotate(sum=Sum("total"))
        .values("sum")
    )
    return Coalesce(Subquery(totals), Value(0), output_field=MoneyField())


def budget_status(*, user: User, month: Period) -> BudgetStatus:
    """Each budget active in `month` with its carry, spending and state, and the month's
    spending outside them. Two queries."""
    active = (
        budgets_of(user=user)
        .filter(start_month__lte=month.start)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month.start))
        .annotate(
            spent=_expenses_of_budget_category(date__gte=month.start, date__lte=month.end),
            # What the category's expenses took from the budget's earlier months: only
            # rollover budgets carry, so the others skip the subquery.
            spent_before=Case(
                When(
                    rollover=True,
                    then=_expenses_of_budget_category(
                        date__gte=OuterRef("start_month"), date__lt=month.start
                    ),
                ),
                default=Value(0),
                output_field=MoneyField(),
            ),
        )
    )
    lines = []
    for budget in active:
        carried = ZERO
        if budget.rollover:
            months = months_between(budget.start_month, month.start)
            carried = budget.amount * months - budget.spent_before
        lines.append(
            BudgetLine(
                budget_id=budget.pk,
                category=budget.category.name,
                budgeted=budget.amount,
                carried_over=carried,
                spent=budget.spent,
            )
        )
    month_expenses = (
        DailyTotal.objects.for_user(user)
        .filter(kind=Kind.EXPENSE, date__gte=month.start, date__lte=month.end)
        .aggregate(total=Sum("total", default=0))["total"]
    )
    budgeted_spent = sum((line.spent for line in lines), ZERO)
    return BudgetStatus(month=month, lines=lines, unbudgeted_spent=month_expenses - budgeted_spent)
