"""Reads of quotas: how much of a user's quota the last window has used, and when it frees."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.core.api.throttles import parse_rate

from .models import QuotaUse


@dataclass(frozen=True)
class QuotaState:
    """A quota at one moment: `used` of its `limit` uses in the window that ends now, and
    `reset`, the seconds until a use leaves that window (the whole window when none counts)."""

    scope: str
    limit: int
    used: int
    reset: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit


def quota_state(*, user: User, scope: str) -> QuotaState | None:
    """The quota's state now (one query, two when more uses count than the limit allows);
    None when the quota has no rate."""
    rate = parse_rate(scope)  # (uses, window in seconds); None for no limit
    if rate is None:
        return None
    limit, window = rate
    return quota_state_at(user=user, scope=scope, limit=limit, window=window, now=timezone.now())


def quota_state_at(*, user: User, scope: str, limit: int, window: int, now: datetime) -> QuotaState:
    """The state of a quota of `limit` uses per `window` seconds at `now`: a use counts while
    it is younger than the window, so one made at t frees its slot at exactly t + window."""
    uses = QuotaUse.objects.for_user(user).filter(
        scope=scope, used_at__gt=now - timedelta(seconds=window)
    )
    counted = uses.aggregate(used=Count("id"), oldest=Min("used_at"))
    used: int = counted["used"]
    if used == 0:
        return QuotaState(scope=scope, limit=limit, used=0, reset=window)
    freed_by: datetime = counted["oldest"]
    if used > limit:
        # More uses than the limit (it was lowered): a slot frees up only once all but
        # limit - 1 of them have left, the (used - limit + 1)-th oldest last.
        freed_by = uses.order_by("used_at").values_list("used_at", flat=True)[used - limit]
    wait = (freed_by + timedelta(seconds=window) - now).total_seconds()
    return QuotaState(scope=scope, limit=limit, used=used, reset=max(math.ceil(wait), 1))
