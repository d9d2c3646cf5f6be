"""Throttles: per client address for sign-up and sign-in, per user everywhere else, and per
username for failed sign-ins. Each one reports its state for the RateLimit-* headers."""

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


@dataclass(frozen=True)
class RateLimitState:
    """What the RateLimit-Limit, -Remaining and -Reset headers say."""

    limit: int
    remaining: int
    reset: int


RATE_LIMIT_ATTRIBUTE = "fintrack_rate_limit"


class _ReportingRateMixin:
    """Reads the rate at request time (not import time, so settings changes apply) and leaves
    the tightest throttle's state on the request for RateLimitHeadersMiddleware."""

    scope: str
    history: list[float]
    now: float
    num_requests: int
    duration: int

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Any, view: Any) -> bool:
        allowed = super().allow_request(request, view)  # type: ignore[misc]
        if getattr(self, "key", None) is not None and hasattr(self, "history"):
            self._report(request)
        return allowed

    def _report(self, request: Any) -> None:
        remaining = max(self.num_requests - len(self.history), 0)
        oldest = self.history[-1] if self.history else self.now
        reset = max(math.ceil(oldest + self.duration - self.now), 0)
        state = RateLimitState(limit=self.num_requests, remaining=remaining, reset=reset)
        django_request = getattr(request, "_request", request)
        current = getattr(django_request, RATE_LIMIT_ATTRIBUTE, None)
        if current is None or state.remaining < current.remaining:
            setattr(django_request, RATE_LIMIT_ATTRIBUTE, state)


class ClientAddressThrottle(_ReportingRateMixin, SimpleRateThrottle):
    """Limits register and token requests per client address, signed in or not."""

    scope = "auth"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_ReportingRateMixin, UserRateThrottle):
    """Limits each signed-in user (anonymous callers by address)."""

    scope = "user"


class FailedLoginThrottle(SimpleRateThrottle):
    """Failed sign-ins per username (any case), so that spreading a password guessing attack
    over many addresses does not help. Only failures count; the view records them."""

    scope = "login_failure"

    def __init__(self, username: str) -> None:
        self.username = username.strip().lower()
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any = None, view: Any = None) -> str:
        digest = hashlib.sha256(self.username.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def _history(self) -> list[float]:
        now = self.timer()
        return [t for t in cache.get(self.get_cache_key(), []) if t > now - self.duration]

    def blocked(self) -> bool:
        if self.rate is None or not self.username:
            return False
        self.history = self._history()
        self.now = self.timer()
        return len(self.history) >= self.num_requests

    def record_failure(self) -> None:
        if self.rate is None or not self.username:
            return
        history = [self.timer(), *self._history()]
        cache.set(self.get_cache_key(), history, self.duration)
