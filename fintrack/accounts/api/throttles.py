"""Limits of the password reset endpoints (per client address, per email address) and of email
changes on the profile: fixed-window counters with an atomic increment in the shared cache.

They answer the same whether or not an account has the email: the per-email counter counts
every request for that address, known or not.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from fintrack.core.api.throttles import parse_rate, window_hit
from fintrack.core.names import fold_name


@dataclass(frozen=True)
class FixedWindowLimit:
    """At most `rate` (DRF's "N/period") hits per `ident` in each window of the period: the
    core throttles' counter (one atomic increment in the shared cache), for limits that are
    not a view's throttle."""

    scope: str
    ident: str

    def hit(self) -> int | None:
        """Count one hit; the seconds until the window ends when it goes over, else None."""
        rate = parse_rate(self.scope)
        if rate is None:
            return None
        limit, duration = rate
        # Hashed: the ident may be an email address, which the cache key must not show.
        digest = hashlib.sha256(self.ident.encode("utf-8", "surrogatepass")).hexdigest()
        window = window_hit(self.scope, digest, limit=limit, duration=duration)
        return window.reset if window.exceeded else None

    def check(self, detail: str | None = None) -> None:
        """Count one hit; over the limit: 429 with Retry-After (and DRF's words by default)."""
        wait = self.hit()
        if wait is not None:
            raise Throttled(wait=wait, detail=detail)


class ClientAddressLimit(BaseThrottle):
    """A DRF throttle over FixedWindowLimit, per client address (as NUM_PROXIES reads it).

    Not core's ClientAddressThrottle: that one reports RateLimit-*, and the per-email limit
    beside it cannot (it runs in the view), so the headers would tell which of the two
    refused a reset request; the contract says the answer reveals neither."""

    scope: str

    def allow_request(self, request: Any, view: Any) -> bool:
        self._wait = FixedWindowLimit(self.scope, self.get_ident(request)).hit()
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class PasswordResetAddressThrottle(ClientAddressLimit):
    scope = "password_reset"


class PasswordResetConfirmAddressThrottle(ClientAddressLimit):
    scope = "password_reset_confirm"


def password_reset_email_limit(email: str) -> FixedWindowLimit:
    """Reset requests per email address, folded as names are (so case does not dodge it)."""
    return FixedWindowLimit("password_reset_email", fold_name(email.strip()))


def email_change_limit(user_pk: int) -> FixedWindowLimit:
    """Email changes on the profile per user, at the sign-in rate: a PATCH that answers "this
    email is taken" must not be a cheaper way to learn who has an account than signing in."""
    return FixedWindowLimit("auth", f"email-change:{user_pk}")
