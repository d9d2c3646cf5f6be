"""App config for fintrack.imports."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "fintrack.imports"
    label = "imports"
