"""App config for fintrack.quotas."""

from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "fintrack.quotas"
    label = "quotas"
