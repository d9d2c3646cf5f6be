"""The JWTs fintrack issues and accepts: simplejwt's, with every claim checked for its type,
carrying the user's token generation so that a password change or reset kills them all.

A token is signed by us, but its claims can still hold anything a holder of a development key
(or an old release) put there; a claim of the wrong type must be a 401, never a 500 from the
query it would reach.
"""

from typing import Any, cast

from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from .models import User

MAX_ID = 2**63 - 1  # as fintrack.core.api.routing's (not imported: DRF's views import this)

# The claim holding User.token_generation when the token was issued. A token without it (issued
# before the claim existed) counts as generation 0: it keeps working until it expires or until
# the user's first password change or reset, whichever comes first.
GENERATION_CLAIM = "gen"
MISSING_GENERATION = 0


def token_generation_of(payload: Any) -> int | None:
    """The generation a token claims; None when the claim is there but is not a plain integer."""
    value = payload.get(GENERATION_CLAIM, MISSING_GENERATION)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _is_user_id(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID
    return type(value) is int and 0 < value <= MAX_ID


class _TypedClaimsMixin:
    payload: dict[str, Any]

    def verify(self) -> None:
        # Before simplejwt's checks, which already query by these claims (the blacklist).
        if not _is_user_id(self.payload.get(api_settings.USER_ID_CLAIM)):
            raise TokenError("Token has an invalid user claim")
        if not isinstance(self.payload.get(api_settings.JTI_CLAIM), str):
            raise TokenError("Token has an invalid id claim")
        super().verify()  # type: ignore[misc]


# Payloads of access tokens whose signature this process has checked, by their text. Every
# request of a client carries the same token for its 15 minutes; checking its signature again
# (PyJWT: base64, two JSON documents, an HMAC, the key prepared anew) was a tenth of the
# ceiling's request (`make bench-profile SCENARIO=ceiling`). Only the signature's verdict is
# kept: expiry, type and claims are checked again on every request (Token.verify), and the
# user row, with its token generation, is read on every request (authentication).
_VERIFIED: dict[tuple[int, str | bytes], dict[str, Any]] = {}
VERIFIED_TOKENS_KEPT = 4096


class _VerifiedTokenBackend:
    """simplejwt's token backend, remembering which tokens' signatures it has verified."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        if not verify or not isinstance(token, str | bytes):
            return cast("dict[str, Any]", self._backend.decode(token, verify=verify))
        key = (id(self._backend), token)
        payload = _VERIFIED.get(key)
        if payload is None:
            payload = self._backend.decode(token, verify=True)  # raises on a bad signature
            if len(_VERIFIED) >= VERIFIED_TOKENS_KEPT:
                _VERIFIED.clear()
            _VERIFIED[key] = payload
        return dict(payload)  # a copy: a Token may change its own

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)


class AccessToken(_TypedClaimsMixin, tokens.AccessToken):
    def get_token_backend(self) -> Any:
        return _VerifiedTokenBackend(super().get_token_backend())


# The stubs' Token.for_user and BlacklistMixin.for_user differ in signature; the class is
# simplejwt's own RefreshToken, whose for_user is BlacklistMixin's.
class RefreshToken(_TypedClaimsMixin, tokens.RefreshToken):  # type: ignore[misc]
    access_token_class = AccessToken


class GenerationRefreshToken(RefreshToken):
    """A refresh token stamped with the user's generation; the access tokens made from it (and
    the refresh tokens a rotation makes from it) copy the claim."""

    @classmethod
    def for_user(cls, user: User) -> "GenerationRefreshToken":  # type: ignore[override]
        # simplejwt builds `cls()`; its types lose that through super().
        token = cast("GenerationRefreshToken", super().for_user(user))
        token[GENERATION_CLAIM] = user.token_generation
        return token
