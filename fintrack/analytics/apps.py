"""App config for fintrack.analytics (selectors only; no models)."""

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "fintrack.analytics"
    label = "analytics"
