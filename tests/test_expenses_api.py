"""/api/expenses/: the record cases of tests/entry_cases.py, bound to expenses."""

from fintrack.ledger.models import Kind

from . import entry_cases as cases

EXPENSES = cases.EntryApi(
    path="/api/expenses/", kind=Kind.EXPENSE, other_path="/api/incomes/", other_kind=Kind.INCOME
)


class TestCreateExpense(cases.CreateCases):
    api = EXPENSES


class TestReadExpenseUpdateDelete(cases.ReadUpdateDeleteCases):
    api = EXPENSES


class TestExpenseValidation(cases.ValidationCases):
    api = EXPENSES


class TestExpenseFilters(cases.FilterCases):
    api = EXPENSES


class TestExpenseOrdering(cases.OrderingCases):
    api = EXPENSES


class TestExpensePagination(cases.PaginationCases):
    api = EXPENSES


class TestExpenseOwnership(cases.OwnershipCases):
    api = EXPENSES
