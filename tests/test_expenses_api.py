"""/api/expenses/: the record cases of tests/entry_cases.py, bound to expenses."""

import pytest
from django.db import connection

from fintrack.ledger.models import Kind

from . import entry_cases as cases

EXPENSES = cases.EntryApi(
    path="/api/expenses/", kind=Kind.EXPENSE, other_path="/api/incomes/", other_kind=Kind.INCOME
)

globals().update(cases.bound_cases(EXPENSES, "Expense", __name__))


@pytest.mark.django_db
def test_search_has_trigram_indexes_on_postgresql():
    """`?search=` is a substring match: on PostgreSQL, pg_trgm GIN indexes serve it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index; its search scans, and stays correct")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("pg_trgm is not installed on this server: the migration skips it")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
        )
        indexes = dict(cursor.fetchall())

    assert "upper((description)::text) gin_trgm_ops" in indexes["ledger_entry_description_trgm"]
    assert "upper((name)::text) gin_trgm_ops" in indexes["ledger_category_name_trgm"]
