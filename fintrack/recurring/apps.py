"""App config for fintrack.recurring."""

from django.apps import AppConfig


class RecurringConfig(AppConfig):
    name = "fintrack.recurring"
    label = "recurring"
