"""App config for fintrack.budgets."""

from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "fintrack.budgets"
    label = "budgets"
