"""A DRF throttle over a user's quota (fintrack.quotas): it refuses a request once the quota is
used up and reports the quota for the RateLimit-* headers, but counts nothing. The work counts
its use itself (services.quota_use), once it is accepted, so a request that is refused for
any reason, or that replays an earlier answer, never uses the quota."""

from typing import Any

from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from fintrack.core.api.conditional import answered_not_modified
from fintrack.core.api.throttles import Window, report_state

from ..selectors import QuotaState, quota_state

# Left on the Django request when a used-up quota let an idempotent create through.
_DEFERRED_ATTRIBUTE = "fintrack_quota_deferred_wait"


def report_quota(request: Request, state: QuotaState) -> None:
    """Put the quota's state in the RateLimit-* headers (when it is the tightest limit),
    replacing the one it reported earlier in this request."""
    window = Window(count=state.used, limit=state.limit, reset=state.reset)
    report_state(request, window, name=state.scope)


class QuotaThrottle(BaseThrottle):
    """Refuses a signed-in user's request while their quota `scope` is used up.

    An idempotent create (`@idempotent`) sent with an Idempotency-Key is let through: it may
    be a replay, which is no new use and is answered whatever the quota. The create calls
    `refuse_if_deferred` once no replay answered it, before its work."""

    scope: str

    def __init__(self) -> None:
        self._wait: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        state = quota_state(user=user, scope=self.scope)
        if state is None:
            return True
        report_quota(request, state)
        # A HEAD and a 304 are answered without the work the quota counts: never refused.
        if not state.exhausted or request.method == "HEAD" or answered_not_modified(request):
            return True
        if _may_be_replay(request, view):
            setattr(request._request, _DEFERRED_ATTRIBUTE, state.reset)
            return True
        self._wait = state.reset
        return False

    def wait(self) -> int | None:
        return self._wait


def _may_be_replay(request: Request, view: Any) -> bool:
    handler = getattr(view, (request.method or "").lower(), None)
    return bool(getattr(handler, "idempotent", False)) and "Idempotency-Key" in request.headers


def refuse_if_deferred(request: Request) -> None:
    """429 for a request that QuotaThrottle let through only because it might have been an
    idempotent replay, now that it is known not to be one."""
    wait = getattr(request._request, _DEFERRED_ATTRIBUTE, None)
    if wait is not None:
        raise Throttled(wait=wait)
