"""App config for fintrack.web, the dashboard: one HTML page and its assets, a client of /api/."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fintrack.web"
    label = "web"
