"""App config for fintrack.ledger."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fintrack.ledger"
    label = "ledger"
