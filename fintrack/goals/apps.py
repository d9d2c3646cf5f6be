"""App config for fintrack.goals."""

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "fintrack.goals"
    label = "goals"
