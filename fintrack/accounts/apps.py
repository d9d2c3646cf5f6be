"""App config for fintrack.accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fintrack.accounts"
    label = "accounts"
