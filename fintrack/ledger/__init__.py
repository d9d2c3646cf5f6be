"""Ledger: categories, incomes and expenses."""
