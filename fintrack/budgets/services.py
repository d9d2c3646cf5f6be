"""Writes on budgets: create, update and delete, with the rule that budgets of one category
never overlap."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from fintrack.accounts.models import User
from fintrack.core.errors import Invalid
from fintrack.ledger.models import Category, Kind
from fintrack.ledger.services import category_for_name

from .models import Budget


def _check_months(
    *, category: Category, start: date, end: date | None, budget_id: int | None
) -> None:
    """400 naming end_month when it comes before start_month, start_month on an overlap."""
    if end is not None and end < start:
        raise Invalid({"end_month": ["The end month is before the start month."]})
    # Lock the category: two concurrent writes of its budgets take turns, so neither misses
    # the other's months (SQLite serializes writers anyway).
    Category.objects.select_for_update().filter(pk=category.pk).first()
    siblings = Budget.objects.for_user(category.user_id).filter(category=category)
    if budget_id is not None:
        siblings = siblings.exclude(pk=budget_id)
    overlapping = siblings.filter(start_month__lte=end) if end is not None else siblings
    overlapping = overlapping.exclude(end_month__lt=start)
    if overlapping.exists():
        raise Invalid(
            {
                "start_month": [
                    "Another budget of this category covers some of these months; end it "
                    "(end_month) before this one starts."
                ]
            }
        )


@transaction.atomic
def budget_create(
    *,
    user: User,
    category: str,
    amount: Decimal,
    start_month: date,
    end_month: date | None = None,
    rollover: bool = False,
) -> Budget:
    """A budget of the user's expense category of this name (any case, created on first use);
    months are first days of months."""
    expense_category = category_for_name(user=user, kind=Kind.EXPENSE, name=category)
    _check_months(category=expense_category, start=start_month, end=end_month, budget_id=None)
    return Budget.objects.create(
        user=user,
        category=expense_category,
        amount=amount,
        start_month=start_month,
        end_month=end_month,
        rollover=rollover,
    )


@transaction.atomic
def budget_update(
    *,
    budget: Budget,
    category: str | None = None,
    amount: Decimal | None = None,
    start_month: date | None = None,
    end_month: date | None = None,
    clear_end_month: bool = False,
    rollover: bool | None = None,
) -> Budget:
    """Change the given fields; those left None keep their value (`clear_end_month` makes the
    budget open-ended)."""
    if category is not None:
        budget.category = category_for_name(user=budget.user, kind=Kind.EXPENSE, name=category)
    if amount is not None:
        budget.amount = amount
    if start_month is not None:
        budget.start_month = start_month
    if end_month is not None or clear_end_month:
        budget.end_month = end_month
    if rollover is not None:
        budget.rollover = rollover
    _check_months(
        category=budget.category,
        start=budget.start_month,
        end=budget.end_month,
        budget_id=budget.pk,
    )
    budget.save()
    return budget


@transaction.atomic
def budget_delete(*, budget: Budget) -> None:
    budget.delete()
