"""/api/incomes/: the record cases of tests/entry_cases.py, bound to incomes."""

from fintrack.ledger.models import Kind

from . import entry_cases as cases

INCOMES = cases.EntryApi(
    path="/api/incomes/", kind=Kind.INCOME, other_path="/api/expenses/", other_kind=Kind.EXPENSE
)


class TestCreateIncome(cases.CreateCases):
    api = INCOMES


class TestReadIncomeUpdateDelete(cases.ReadUpdateDeleteCases):
    api = INCOMES


class TestIncomeValidation(cases.ValidationCases):
    api = INCOMES


class TestIncomeFilters(cases.FilterCases):
    api = INCOMES


class TestIncomeOrdering(cases.OrderingCases):
    api = INCOMES


class TestIncomePagination(cases.PaginationCases):
    api = INCOMES


class TestIncomeOwnership(cases.OwnershipCases):
    api = INCOMES
