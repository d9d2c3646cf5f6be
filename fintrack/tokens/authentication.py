"""`Authorization: Bearer ftp_...`: DRF authentication by personal access token, and its
OpenAPI security scheme.

It runs before the JWT authentication (config/settings/base.py) and answers only for a bearer
credential that starts with `ftp_`: for any other it returns None and the JWT class decides, so
neither class ever reads the other's tokens. `request.auth` is then the token's row, which the
scope permission (fintrack.tokens.api.permissions) reads.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from fintrack.accounts.models import User

from . import selectors, services
from .digests import TOKEN_PREFIX
from .models import PersonalAccessToken

# The problem type of every refused token, as for a refused JWT: token-not-valid.
_NOT_VALID = "token_not_valid"


class PersonalAccessTokenAuthentication(BaseAuthentication):
    """A personal access token sent as a bearer token."""

    # Read by the schema (fintrack.core.api.schema): a credential that a scope can refuse, so
    # operations open to it document a 403.
    scoped = True
    www_authenticate_realm = "api"

    def authenticate(self, request: Request) -> tuple[User, PersonalAccessToken] | None:
        parts = get_authorization_header(request).split()
        if (
            len(parts) != 2
            or parts[0].lower() != b"bearer"
            or not parts[1].startswith(TOKEN_PREFIX.encode())
        ):
            return None
        token = selectors.personal_access_token_for(parts[1].decode("latin-1"))
        if token is None:
            raise AuthenticationFailed("This personal access token is not valid.", _NOT_VALID)
        if token.revoked_at is not None:
            raise AuthenticationFailed("This personal access token has been revoked.", _NOT_VALID)
        now = timezone.now()
        if token.is_expired(now=now):
            raise AuthenticationFailed("This personal access token has expired.", _NOT_VALID)
        if not token.user.is_active:
            raise AuthenticationFailed("User is inactive", "user_inactive")
        services.personal_access_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # DRF takes the 401's WWW-Authenticate from the first authentication class: this one.
        # The same challenge as the JWT class's, since both are bearer tokens.
        return f'Bearer realm="{self.www_authenticate_realm}"'


# For a view that refuses personal access tokens whatever the method.
EVERY_METHOD = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})


def refused_methods(view: Any) -> frozenset[str]:
    """The HTTP methods of a view that no personal access token may use (account settings and
    the tokens themselves): its `refuses_personal_access_tokens`."""
    return frozenset(getattr(view, "refuses_personal_access_tokens", ()))


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    """The schema's second bearer scheme, `personalAccessToken`, beside `jwtAuth`; Swagger UI's
    Authorize offers both. Operations that refuse these tokens do not list it."""

    target_class = "fintrack.tokens.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ftp_...",
            "description": "A personal access token (`ftp_...`, from `POST /api/tokens/`), "
            "scoped `read` or `read_write`. Refused by the tokens endpoints and the account "
            "settings (403).",
        }

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        if auto_schema.method in refused_methods(auto_schema.view):
            return []  # no requirement from this scheme: the operation lists jwtAuth only
        return [{self.name: []}]
