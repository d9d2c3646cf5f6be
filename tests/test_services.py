"""Services called directly, as a management command or an importer would: domain errors, not
HTTP ones, and every write (deletes included) in one place per model."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from rest_framework.exceptions import APIException

from fintrack.accounts import services as account_services
from fintrack.core.errors import ApplicationError, Conflict, Invalid
from fintrack.goals import services as goal_services
from fintrack.goals.models import Contribution, Goal
from fintrack.ledger import services as ledger_services
from fintrack.ledger.models import Category, Entry, Kind

from .factories import CategoryFactory, ContributionFactory, EntryFactory, GoalFactory

pytestmark = pytest.mark.django_db

E = TypeVar("E", bound=ApplicationError)


def _raised(error: type[E], call: Callable[[], object]) -> E:
    """What `call` raised: an `error`, and no HTTP type."""
    with pytest.raises(error) as info:
        call()
    assert not isinstance(info.value, APIException)
    return info.value


def test_category_create_with_a_taken_name_any_case_is_invalid(alice):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    error = _raised(
        Invalid,
        lambda: ledger_services.category_create(user=alice, kind=Kind.EXPENSE, name="FOOD"),
    )

    assert error.errors == {"name": ["A category of this kind with this name already exists."]}
    assert Category.objects.for_user(alice).count() == 1


def test_category_create_of_the_other_kind_or_user_with_the_same_name_is_fine(alice, bob):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    ledger_services.category_create(user=alice, kind=Kind.INCOME, name="Food")
    ledger_services.category_create(user=bob, kind=Kind.EXPENSE, name="Food")

    assert Category.objects.filter(name="Food").count() == 3


def test_category_rename_to_a_sibling_name_is_invalid(alice):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    rent = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Rent")

    error = _raised(Invalid, lambda: ledger_services.category_rename(category=rent, name="food"))

    assert error.errors == {"name": ["A category of this kind with this name already exists."]}
    rent.refresh_from_db()
    assert rent.name == "Rent"


def test_category_delete_of_a_category_in_use_is_a_conflict(alice):
    entry = EntryFactory(user=alice)

    error = _raised(Conflict, lambda: ledger_services.category_delete(category=entry.category))

    assert error.message == (
        "The category is used by records, budgets or recurring rules; move or delete them first."
    )
    assert Category.objects.filter(pk=entry.category_id).exists()


def test_entry_delete_deletes_the_entry_only(alice):
    entry, other = EntryFactory(user=alice), EntryFactory(user=alice)

    ledger_services.entry_delete(entry=entry)

    assert list(Entry.objects.for_user(alice)) == [other]


def test_goal_create_with_a_taken_name_any_case_is_invalid(alice):
    GoalFactory(user=alice, name="Bike")

    error = _raised(
        Invalid,
        lambda: goal_services.goal_create(user=alice, name="BIKE", target_amount=Decimal("5.00")),
    )

    assert error.errors == {"name": ["You already have a goal with this name."]}


def test_goal_update_to_a_taken_name_is_invalid(alice):
    GoalFactory(user=alice, name="Bike")
    car = GoalFactory(user=alice, name="Car")

    error = _raised(Invalid, lambda: goal_services.goal_update(goal=car, name="bike"))

    assert error.errors == {"name": ["You already have a goal with this name."]}


def test_goal_delete_deletes_its_contributions(alice):
    contribution = ContributionFactory(goal=GoalFactory(user=alice))

    goal_services.goal_delete(goal=contribution.goal)

    assert not Goal.objects.filter(pk=contribution.goal_id).exists()
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


def test_goal_contribute_below_zero_is_invalid(alice):
    goal = GoalFactory(user=alice)

    error = _raised(
        Invalid,
        lambda: goal_services.goal_contribute(
            goal=goal, amount=Decimal("-0.01"), date=date(2026, 1, 1)
        ),
    )

    assert error.errors == {"amount": ["This withdrawal would take the saved amount below zero."]}


def test_contribution_delete_that_would_go_below_zero_is_a_conflict(alice):
    goal = GoalFactory(user=alice)
    deposit = ContributionFactory(goal=goal, amount=Decimal("10.00"))
    ContributionFactory(goal=goal, amount=Decimal("-10.00"))

    error = _raised(Conflict, lambda: goal_services.contribution_delete(contribution=deposit))

    assert error.message == "Removing this contribution would take the saved amount below zero."


def test_user_register_with_a_taken_username_is_invalid(alice):
    error = _raised(
        Invalid,
        lambda: account_services.user_register(
            username="ALICE", email="other@example.com", password="x-long-password-1"
        ),
    )

    assert error.errors == {"username": ["This username or email is already taken."]}


def test_user_update_to_a_taken_email_is_invalid(alice, bob):
    error = _raised(
        Invalid, lambda: account_services.user_update(user=bob, email="ALICE@example.com")
    )

    assert error.errors == {"email": ["This email is already taken."]}
