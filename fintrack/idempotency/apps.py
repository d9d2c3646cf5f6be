"""App config for fintrack.idempotency."""

from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "fintrack.idempotency"
    label = "idempotency"
