"""Authentication for the endpoints open to everyone (the index, health, an unknown address)."""

from typing import Any

from django.db import DatabaseError
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings


def _default_authenticators() -> list[BaseAuthentication]:
    classes: list[type[BaseAuthentication]] = list(
        api_settings.DEFAULT_AUTHENTICATION_CLASSES  # type: ignore[arg-type]
    )
    return [authentication_class() for authentication_class in classes]


class OptionalAuthentication(BaseAuthentication):
    """The API's own authentication classes, for an endpoint that needs no one signed in: a
    valid credential signs the caller in, so the answer counts against their rate and says so
    in RateLimit-*, as every answer to them does; a bad or expired one is no 401 where no
    sign-in is needed, and a database that cannot be reached signs no one in (the health check
    says so itself; the index never reads it). Its views document `OPTIONAL_AUTH`."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        for authenticator in _default_authenticators():
            try:
                signed_in = authenticator.authenticate(request)
            except (exceptions.AuthenticationFailed, DatabaseError):
                return None
            if signed_in is not None:
                return signed_in
        return None


# The schema's security of a view with this authentication, for extend_schema(auth=...):
# either of the API's schemes (components of fintrack.accounts and fintrack.tokens), or none.
# drf-spectacular writes `auth` out as the operation's security requirements, though it types
# it as a list of names: hence Any.
OPTIONAL_AUTH: Any = [{"jwtAuth": []}, {"personalAccessToken": []}, {}]
