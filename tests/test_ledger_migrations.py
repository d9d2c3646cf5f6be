"""Migrating a v1 database to v1.1 keeps the per-day totals exact.

On SQLite the tags migration rebuilds ledger_entry, which drops its triggers; the migration
recreates them. This test holds v1 records at the v1 schema, migrates, and checks the totals
before and after further writes, on whichever database the suite runs.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fintrack.accounts.models import User
from fintrack.ledger.models import Category, DailyTotal, Entry, Kind
from fintrack.ledger.services import entry_create, entry_update

from .conftest import client_for

V1 = [("ledger", "0004_entry_list_index_covers_amount"), ("budgets", None)]


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


def _totals_from_entries() -> dict[tuple, tuple[Decimal, int]]:
    """The per-day totals recomputed from the records, in Python."""
    expected: dict[tuple, tuple[Decimal, int]] = {}
    for user_id, day, kind, category_id, amount in Entry.objects.values_list(
        "user_id", "date", "kind", "category_id", "amount"
    ):
        total, count = expected.get((user_id, day, kind, category_id), (Decimal("0.00"), 0))
        expected[(user_id, day, kind, category_id)] = (total + amount, count + 1)
    return expected


def _stored_totals() -> dict[tuple, tuple[Decimal, int]]:
    return {
        (user_id, day, kind, category_id): (total, count)
        for user_id, day, kind, category_id, total, count in DailyTotal.objects.values_list(
            "user_id", "date", "kind", "category_id", "total", "count"
        )
    }


@pytest.fixture
def v1_database(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The database at the v1 schema for the test; at the latest again after it."""
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(V1)
    try:
        yield MigrationExecutor(connection)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)


def test_the_summary_stays_exact_after_migrating_v1_records(v1_database):
    executor = v1_database
    # The state of what is applied: ledger at v1, every other app at its latest.
    apps = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    old_user = apps.get_model("accounts", "User").objects.create(username="alice", email="a@x.io")
    old_category = apps.get_model("ledger", "Category")
    old_entry = apps.get_model("ledger", "Entry")
    food = old_category.objects.create(user=old_user, kind=Kind.EXPENSE, name="Food")
    pay = old_category.objects.create(user=old_user, kind=Kind.INCOME, name="Salary")
    for index in range(1, 41):
        old_entry.objects.create(
            user=old_user,
            kind=Kind.EXPENSE,
            amount=Decimal("0.07") * index,
            date=date(2026, 10 + index % 2, 1 + index % 28),
            category=food,
        )
    old_entry.objects.create(
        user=old_user,
        kind=Kind.INCOME,
        amount=Decimal("2500.00"),
        date=date(2026, 11, 1),
        category=pay,
    )

    executor.loader.build_graph()
    executor.migrate(_latest(executor))

    assert _stored_totals() == _totals_from_entries()
    # The triggers work again: inserts, updates and deletes after the migration.
    alice = User.objects.get(username="alice")
    entry = entry_create(
        user=alice,
        kind=Kind.EXPENSE,
        amount=Decimal("12.34"),
        date=date(2026, 11, 5),
        category="Food",
        tags=["trip"],
    )
    entry_update(entry=entry, amount=Decimal("20.00"), date=date(2026, 11, 6))
    Entry.objects.filter(kind=Kind.EXPENSE, date=date(2026, 11, 2)).delete()
    assert _stored_totals() == _totals_from_entries()

    client = client_for(alice)
    summary = client.get("/api/summary/", {"month": "2026-11"}).json()
    expenses = sum(
        (e.amount for e in Entry.objects.filter(kind=Kind.EXPENSE, date__month=11)),
        Decimal("0.00"),
    )
    assert summary["total_expenses"] == f"{expenses:.2f}"
    assert summary["total_income"] == "2500.00"
    assert Category.objects.count() == 2
