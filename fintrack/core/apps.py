"""App config for fintrack.core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fintrack.core"
    label = "core"
