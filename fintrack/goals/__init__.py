"""Savings goals and the contributions (deposits and withdrawals) that fill them."""
