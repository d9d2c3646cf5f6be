"""Recurring rules: incomes and expenses that create themselves on every occurrence date."""
