"""App config for fintrack.sync: the changes feed and conditional requests."""

from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "fintrack.sync"
    label = "sync"
