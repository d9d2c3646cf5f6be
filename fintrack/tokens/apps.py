"""App config for fintrack.tokens."""

from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "fintrack.tokens"
    label = "tokens"

    def ready(self) -> None:
        # Registers the OpenAPI security scheme of the token's authentication class.
        from . import authentication  # noqa: F401
