"""Writes of quotas: count one use of a user's quota, or refuse it when the window is full."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.core.api.throttles import parse_rate
from fintrack.core.errors import QuotaExceeded

from .models import QuotaUse
from .selectors import QuotaState, quota_state_at


@transaction.atomic
def quota_use(*, user: User, scope: str) -> QuotaState | None:
    """Count one use of the user's quota `scope` now and return the state after it; None (and
    nothing counted) when the quota has no rate. QuotaExceeded, counting nothing, when the
    window that ends now already holds `limit` uses.

    Call it in the transaction of the work the use stands for: if that work fails, the use
    goes with it."""
    rate = parse_rate(scope)
    if rate is None:
        return None
    limit, window = rate
    # Lock the user row: two concurrent uses, in any process, take turns, so neither misses
    # the other when counting (SQLite serializes writers anyway). FOR NO KEY UPDATE: it does
    # not stop the user's other requests from inserting rows that reference the user.
    list(User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk"))
    now = timezone.now()
    QuotaUse.objects.for_user(user).filter(
        scope=scope, used_at__lte=now - timedelta(seconds=window)
    ).delete()
    state = quota_state_at(user=user, scope=scope, limit=limit, window=window, now=now)
    if state.exhausted:
        raise QuotaExceeded(name=scope, limit=limit, wait=state.reset)
    QuotaUse.objects.create(user=user, scope=scope, used_at=now)
    # The new use is the youngest: it moves the oldest only when it is the only one.
    return QuotaState(scope=scope, limit=limit, used=state.used + 1, reset=state.reset)
