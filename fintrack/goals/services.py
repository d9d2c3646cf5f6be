"""Writes on goals: create and rename with unique names, contributions that never go below zero."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from fintrack.accounts.models import User
from fintrack.core.errors import Conflict, Invalid
from fintrack.core.money import MAX_AMOUNT, ZERO
from fintrack.core.names import fold_name
from fintrack.core.uniqueness import save_unique

from .models import Contribution, Goal
from .selectors import goal_saved_amount


def _save_goal(goal: Goal) -> Goal:
    siblings = Goal.objects.for_user(goal.user_id).exclude(pk=goal.pk)
    save_unique(
        goal.save,
        field="name",
        message="You already have a goal with this name.",
        clash=siblings.filter(name_key=fold_name(goal.name)),
    )
    return goal


@transaction.atomic
def goal_create(
    *, user: User, name: str, target_amount: Decimal, target_date: date | None = None
) -> Goal:
    return _save_goal(
        Goal(user=user, name=name, target_amount=target_amount, target_date=target_date)
    )


@transaction.atomic
def goal_update(*, goal: Goal, **fields: object) -> Goal:
    """Set the given fields (name, target_amount, target_date) and save."""
    for name, value in fields.items():
        setattr(goal, name, value)
    return _save_goal(goal)


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    """Delete a goal and, by cascade, its contributions."""
    goal.delete()


def _lock_goal(goal: Goal) -> None:
    # Serialises contributions to one goal: the sum read below cannot change under us, so
    # two concurrent withdrawals can never both pass the "not below zero" check.
    Goal.objects.select_for_update().only("id").get(pk=goal.pk)


@transaction.atomic
def goal_contribute(*, goal: Goal, amount: Decimal, date: date, note: str = "") -> Contribution:
    """Add a deposit (positive) or a withdrawal (negative); never below zero, never over max."""
    _lock_goal(goal)
    saved_after = goal_saved_amount(goal=goal) + amount
    if saved_after < ZERO:
        raise Invalid({"amount": ["This withdrawal would take the saved amount below zero."]})
    if saved_after > MAX_AMOUNT:
        raise Invalid({"amount": ["This deposit would take the saved amount over the maximum."]})
    return Contribution.objects.create(goal=goal, amount=amount, date=date, note=note)


@transaction.atomic
def contribution_delete(*, contribution: Contribution) -> None:
    _lock_goal(contribution.goal)
    saved_after = goal_saved_amount(goal=contribution.goal) - contribution.amount
    if saved_after < ZERO:
        raise Conflict("Removing this contribution would take the saved amount below zero.")
    if saved_after > MAX_AMOUNT:
        raise Conflict("Removing this contribution would take the saved amount over the maximum.")
    contribution.delete()
