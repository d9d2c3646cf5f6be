"""Throttles: per client address for sign-up and sign-in, per user everywhere else."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class _LiveRateMixin:
    """Read the rate at request time, not import time, so that settings changes apply."""

    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ClientAddressThrottle(_LiveRateMixin, SimpleRateThrottle):
    """Limits register and token requests per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request, view) -> str:  # type: ignore[no-untyped-def]
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_LiveRateMixin, UserRateThrottle):
    """Limits each signed-in user (anonymous callers by address)."""

    scope = "user"
