"""Reads on goals: goals with their saved amount, and the progress figures derived from it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from fintrack.core.money import HUNDRED, ZERO, percent, quantize_money

from .models import Contribution, Goal


@dataclass(frozen=True)
class GoalProgress:
    saved_amount: Decimal
    remaining_amount: Decimal
    progress_percent: Decimal
    is_achieved: bool
    monthly_required: Decimal | None


def goals_with_saved_amount(queryset: QuerySet[Goal]) -> QuerySet[Goal]:
    """Annotate `saved_amount`, the sum of each goal's contributions, in the same query."""
    annotated = queryset.annotate(saved_amount=Sum("contributions__amount", default=0))
    # The sum makes this a GROUP BY query, from which Django drops Meta.ordering: restate it,
    # or pages of goals would come in no stable order.
    return annotated.order_by(*(queryset.query.order_by or Goal._meta.ordering or ()))


def goal_saved_amount(*, goal: Goal) -> Decimal:
    return Contribution.objects.filter(goal=goal).aggregate(total=Sum("amount", default=0))["total"]


def whole_months_left(*, today: date, target_date: date) -> int:
    """Whole calendar months from today until the target date, at least 1."""
    months = (target_date.year - today.year) * 12 + (target_date.month - today.month)
    if target_date.day < today.day:
        months -= 1
    return max(months, 1)


def goal_progress(
    *, target_amount: Decimal, saved_amount: Decimal, target_date: date | None, today: date
) -> GoalProgress:
    """The contract's goal figures, exact, with every rounding half up to the cent."""
    remaining = max(target_amount - saved_amount, ZERO)
    is_achieved = saved_amount >= target_amount
    progress = min(percent(saved_amount, target_amount) or ZERO, HUNDRED)
    monthly_required = None
    if target_date is not None and not is_achieved:
        months = whole_months_left(today=today, target_date=target_date)
        monthly_required = quantize_money(remaining / months)
    return GoalProgress(
        saved_amount=quantize_money(saved_amount),
        remaining_amount=quantize_money(remaining),
        progress_percent=quantize_money(progress),
        is_achieved=is_achieved,
        monthly_required=monthly_required,
    )


def goal_progress_of(*, goal: Goal, today: date) -> GoalProgress:
    """The progress of a goal read through goals_with_saved_amount (which annotated its saved
    amount); a goal read otherwise costs one more query for the sum."""
    saved = getattr(goal, "saved_amount", None)
    return goal_progress(
        target_amount=goal.target_amount,
        saved_amount=goal_saved_amount(goal=goal) if saved is None else saved,
        target_date=goal.target_date,
        today=today,
    )
