"""Bearer JWT authentication that refuses the tokens a password change or reset revoked."""

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from .models import User
from .selectors import user_by_id
from .tokens import token_generation_of


class GenerationJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, plus the generation check on the user row it loads anyway
    (no extra query): a token from before the user's last password change is a 401."""

    def get_raw_token(self, header: bytes) -> bytes | None:
        # The scheme's name is case-insensitive (RFC 9110, 11.1): `bearer` and `BEARER` work as
        # `Bearer` does (simplejwt compares it exactly; the personal access tokens' class too
        # reads it in any case).
        parts = header.split()
        if parts and parts[0].lower() == b"bearer":
            header = b" ".join([b"Bearer", *parts[1:]])
        return super().get_raw_token(header)

    # simplejwt types the answer as a TypeVar that no argument binds (AbstractBaseUser or
    # TokenUser), so no concrete override can match it.
    def get_user(self, validated_token: Any) -> User:  # type: ignore[override]
        # simplejwt's, with the user read by a statement compiled once (user_by_id) instead of
        # a queryset built and compiled on every request. The claim's type is checked by
        # the token class (fintrack.accounts.tokens): a positive integer or its digits.
        try:
            user_id = int(validated_token[api_settings.USER_ID_CLAIM])
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        user = user_by_id(user_id)
        if user is None:
            raise AuthenticationFailed("User not found", code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        if token_generation_of(validated_token) != user.token_generation:
            raise InvalidToken(
                {
                    "detail": "Token is no longer valid: the password has changed since.",
                    "code": "token_not_valid",
                }
            )
        return user


class GenerationJWTScheme(SimpleJWTScheme):
    """The schema's bearer scheme for it: the same `jwtAuth` that simplejwt's class gets."""

    target_class = "fintrack.accounts.authentication.GenerationJWTAuthentication"
