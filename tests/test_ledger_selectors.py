"""fintrack.ledger.selectors: list totals are exact, whatever amounts are stored."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fintrack.accounts.models import User
from fintrack.core.money import MAX_AMOUNT, MIN_AMOUNT
from fintrack.ledger.models import Category, Entry, Kind
from fintrack.ledger.selectors import entry_list_rows, entry_list_totals

from .factories import EntryFactory

amounts = st.lists(
    st.decimals(min_value=MIN_AMOUNT, max_value=MAX_AMOUNT, places=2),
    max_size=30,
)


def entries_of_kind(*, user: User, kind: str) -> QuerySet[Entry]:
    """The user's records of one kind, as the list views start from them."""
    return Entry.objects.for_user(user).filter(kind=kind).select_related("category")


def _store(user, category: Category, values: list[Decimal]) -> None:
    Entry.objects.bulk_create(
        Entry(user=user, kind=Kind.EXPENSE, amount=v, date=date(2026, 11, 1), category=category)
        for v in values
    )


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    # The users and the client are made once; every example rolls its own rows back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(values=amounts)
def test_totals_are_the_exact_sum_of_any_stored_amounts(alice, bob, alice_client, values):
    expected = sum(values, Decimal("0.00"))
    with transaction.atomic():
        category = Category.objects.create(user=alice, kind=Kind.EXPENSE, name="Any")
        _store(alice, category, values)
        EntryFactory(user=alice, kind=Kind.INCOME, amount=Decimal("1.00"))  # other kind
        EntryFactory(user=bob, kind=Kind.EXPENSE, amount=Decimal("1.00"))  # other user

        totals = entry_list_totals(entries_of_kind(user=alice, kind=Kind.EXPENSE))
        response = alice_client.get("/api/expenses/", {"page_size": 1})

        transaction.set_rollback(True)

    assert totals.count == len(values)
    assert totals.total_amount == expected
    assert isinstance(totals.total_amount, Decimal)
    assert totals.total_amount.as_tuple().exponent == -2
    assert response.status_code == 200, response.content
    assert response.json()["count"] == len(values)
    assert response.json()["total_amount"] == f"{expected:.2f}"


@pytest.mark.django_db
def test_totals_of_nothing_are_zero(alice):
    totals = entry_list_totals(entries_of_kind(user=alice, kind=Kind.INCOME))

    assert totals.count == 0
    assert totals.total_amount == Decimal("0.00")
    assert str(totals.total_amount) == "0.00"


@pytest.mark.django_db
def test_totals_follow_the_filter_of_the_queryset(alice):
    for amount in ("0.10", "0.20", "0.30"):
        EntryFactory(user=alice, kind=Kind.EXPENSE, amount=Decimal(amount))

    queryset = entries_of_kind(user=alice, kind=Kind.EXPENSE).filter(amount__gte=Decimal("0.20"))
    totals = entry_list_totals(queryset)

    assert (totals.count, totals.total_amount) == (2, Decimal("0.50"))


@pytest.mark.django_db
def test_list_rows_are_the_users_of_that_kind_only(alice, bob):
    mine = EntryFactory(user=alice, kind=Kind.INCOME)
    EntryFactory(user=alice, kind=Kind.EXPENSE)
    EntryFactory(user=bob, kind=Kind.INCOME)

    rows = entry_list_rows(entries_of_kind(user=alice, kind=Kind.INCOME), ["id", "category__name"])

    assert list(rows) == [(mine.id, mine.category.name)]
