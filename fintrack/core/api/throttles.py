"""Throttles: per client address for sign-up and sign-in, per user everywhere else, and the
failed sign-in limits. Each is a fixed-window counter: one atomic increment in the cache per
request, whatever the number of requests in the window, and each reports its state for the
RateLimit-* headers."""

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from fintrack.core.names import fold_name

from .authentication import OptionalAuthentication

# What the cache raises when Redis (REDIS_URL) cannot be reached: the answer is a 503
# (fintrack.core.api.problems). The local-memory cache raises none of them.
CACHE_OUTAGES: tuple[type[Exception], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    BusyLoadingError,
)


@dataclass(frozen=True)
class RateLimitState:
    """What the RateLimit-Limit, -Remaining and -Reset headers say."""

    limit: int
    remaining: int
    reset: int


RATE_LIMIT_ATTRIBUTE = "fintrack_rate_limit"
# Every limit's state reported on the request, by limit: the tightest is RATE_LIMIT_ATTRIBUTE.
_STATES_ATTRIBUTE = "fintrack_rate_limits"
_KEY_PREFIX = "throttle"


def parse_rate(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) of a scope's rate, read at request time so settings changes apply."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if rate is None:
        return None
    return SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type,return-value]


@dataclass(frozen=True)
class Window:
    """One counter's state after a hit: its count in the current window and seconds left."""

    count: int
    limit: int
    reset: int

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def _window_key(scope: str, ident: str, duration: int, now: float) -> tuple[str, int]:
    window = int(now // duration)
    reset = max(math.ceil((window + 1) * duration - now), 1)
    return f"{_KEY_PREFIX}:{scope}:{ident}:{window}", reset


def window_hit(scope: str, ident: str, *, limit: int, duration: int) -> Window:
    """Count one request in the current window, atomically (`incr`, or `add` for the window's
    first: two clients never both read the same count, unlike a read-modify-write).

    `incr` first: every request of a window but its first finds the counter there, so one
    cache operation instead of an `add` that fails and then an `incr`."""
    key, reset = _window_key(scope, ident, duration, time.time())
    while True:
        try:
            count = cache.incr(key)
            break
        except ValueError:  # the window's first request (or the counter just expired)
            if cache.add(key, 1, duration + 1):
                count = 1
                break
            # Another request added it in between: count on it.
    return Window(count=count, limit=limit, reset=reset)


def window_release(scope: str, ident: str, *, duration: int) -> None:
    """Take back one request counted in the current window (it turned out not to count)."""
    key, _ = _window_key(scope, ident, duration, time.time())
    with contextlib.suppress(ValueError):
        cache.decr(key)


def report_state(request: Any, window: Window, *, name: str | None = None) -> None:
    """Leave the tightest limit's state on the request for RateLimitHeadersMiddleware: the one
    with the fewest requests remaining (the first reported, on a tie).

    A limit that reports again under the same `name` replaces its earlier state: a quota
    reports what is left before the work, then again once the work has used it (or has been
    refused), and that later state may even be looser (a use left its window meanwhile)."""
    state = RateLimitState(limit=window.limit, remaining=window.remaining, reset=window.reset)
    django_request = getattr(request, "_request", request)
    states: dict[object, RateLimitState] | None = getattr(django_request, _STATES_ATTRIBUTE, None)
    if states is None:
        states = {}
        setattr(django_request, _STATES_ATTRIBUTE, states)
    states[object() if name is None else name] = state
    setattr(django_request, RATE_LIMIT_ATTRIBUTE, min(states.values(), key=_remaining))


def _remaining(state: RateLimitState) -> int:
    return state.remaining


def count_before_answering(request: Any, view: Any) -> None:
    """Run the view's throttles from a permission that answers the request itself (a 304, a
    403): DRF checks throttles only once every permission has passed, and such an answer must
    count, and carry the RateLimit-* headers, like any other (past a limit, it is the 429).

    Not for the copies of a request on which DRF's OPTIONS answer tries POST and PUT (their
    method is not the request's): the OPTIONS itself is counted once, as any request."""
    if request.method == request._request.method:
        view.check_throttles(request)


def count_signed_in_caller(request: HttpRequest) -> None:
    """For an answer given before any view runs (a body over the view's limit): a signed-in
    caller is counted in their window and told so, as on every answer to them; anyone else is
    not counted."""
    drf_request = Request(request, authenticators=[OptionalAuthentication()])
    # A cache that cannot be reached counts no one: the refusal is answered all the same.
    with contextlib.suppress(*CACHE_OUTAGES):
        SignedInUserThrottle().allow_request(drf_request, None)


class FixedWindowThrottle(BaseThrottle):
    """A DRF throttle counting requests per `scope` and identity in fixed windows."""

    scope: str

    def __init__(self) -> None:
        self._wait: int | None = None

    def get_ident_key(self, request: Any, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Any, view: Any) -> bool:
        rate = parse_rate(self.scope)
        ident = self.get_ident_key(request, view)
        if rate is None or ident is None:
            return True
        limit, duration = rate
        window = window_hit(self.scope, ident, limit=limit, duration=duration)
        report_state(request, window)
        self._wait = window.reset
        return not window.exceeded

    def wait(self) -> int | None:
        return self._wait


class ClientAddressThrottle(FixedWindowThrottle):
    """Limits register and token requests per client address, signed in or not."""

    scope = "auth"

    def get_ident_key(self, request: Any, view: Any) -> str | None:
        return self.get_ident(request)


class UserThrottle(FixedWindowThrottle):
    """Limits each signed-in user (anonymous callers by address)."""

    scope = "user"

    def get_ident_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return str(user.pk)
        return f"anon:{self.get_ident(request)}"


class SignedInUserThrottle(UserThrottle):
    """The user throttle of an endpoint open to everyone: it counts signed-in callers only (a
    load balancer's health checks are no one's)."""

    def get_ident_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None


class SignInAttempts:
    """Sign-in attempts per (username, address) and, looser, per username alone.

    The tight per-pair limit (`login_failure`) stops one client guessing; the loose
    per-username one (`login_failure_username`) stops guessing spread over many addresses,
    yet does not lock the owner out after a handful of wrong guesses by someone else. The
    username is keyed by `fold_name`, the very key sign-in looks the user up by, so no
    look-alike spelling reaches the account under another counter.

    An attempt is counted before the password is checked (so concurrent guesses cannot all
    pass a check-then-count) and taken back when it succeeds: only failures stay counted.
    """

    PAIR_SCOPE = "login_failure"
    USERNAME_SCOPE = "login_failure_username"

    def __init__(self, *, username: str, address: str) -> None:
        key = fold_name(username.strip())
        self._idents: dict[str, str] = {}
        if key:
            digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
            self._idents = {
                self.PAIR_SCOPE: f"{digest}:{address}",
                self.USERNAME_SCOPE: digest,
            }
        self._counted: list[tuple[str, int]] = []

    def begin(self) -> int | None:
        """Count this attempt; None if it may go on, else the seconds until it may."""
        for scope, ident in self._idents.items():
            rate = parse_rate(scope)
            if rate is None:
                continue
            limit, duration = rate
            window = window_hit(scope, ident, limit=limit, duration=duration)
            self._counted.append((scope, duration))
            if window.exceeded:
                # A refused attempt checks no password: it must not eat the looser budget.
                self.release()
                return window.reset
        return None

    def release(self) -> None:
        """Take back this attempt (it succeeded, or never reached the password check)."""
        for scope, duration in self._counted:
            window_release(scope, self._idents[scope], duration=duration)
        self._counted = []
