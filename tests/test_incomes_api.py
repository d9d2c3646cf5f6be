"""/api/incomes/: the record cases of tests/entry_cases.py, bound to incomes."""

from fintrack.ledger.models import Kind

from . import entry_cases as cases

INCOMES = cases.EntryApi(
    path="/api/incomes/", kind=Kind.INCOME, other_path="/api/expenses/", other_kind=Kind.EXPENSE
)

globals().update(cases.bound_cases(INCOMES, "Income", __name__))
