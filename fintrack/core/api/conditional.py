"""Conditional GETs: an ETag on every answer about the user's data, and 304 without the work.

The ETag is a hash of the user's change counter (`User.change_seq`, bumped by database triggers
in the transaction of every write to the user's data: fintrack.sync), the profile fields an
answer may show, the UTC date (default months, `upcoming`, `monthly_required` and `next_date`
depend on today) and the request's path and query. All of it is on the user row that
authentication loaded, so a matching `If-None-Match` is answered 304 before the view runs its
queries: no aggregate, no list.

Why a permission: DRF runs the default permission classes after authentication and after the
recurring catch-up (fintrack.recurring.api.permissions), in every authenticated view, and
before the handler. It is last in DEFAULT_PERMISSION_CLASSES, so a refused request is refused,
never answered 304. A view whose answer also shows state the counter does not cover adds it
with `etag_state(request)` (one small query: the tokens list, whose tokens no counter
follows; their `last_used_at` changes no ETag, as the contract says); a view whose answer
cannot be tagged at all sets `conditional_get = False`.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import parse_etags
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from fintrack.accounts.models import User

from .throttles import count_before_answering

_SAFE = frozenset({"GET", "HEAD"})


class NotModified(exceptions.APIException):
    """Answered 304 with no body by the exception handler."""

    status_code = status.HTTP_304_NOT_MODIFIED
    default_detail = "Not modified."
    default_code = "not_modified"


def etag_of(user: User, request: Request, *, extra: str = "") -> str:
    key = "\n".join(
        str(part)
        for part in (
            user.pk,
            user.change_seq,
            user.username,
            user.email,
            user.currency,
            timezone.now().date().isoformat(),
            request._request.get_full_path(),
            extra,
        )
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(etag: str, header: str) -> bool:
    # `*` is not honoured: it would answer 304 to a request the view would refuse (a bad
    # query parameter is a 400, never "not modified"). Only an ETag this server gave for
    # this very request, which it gives only with a 200, matches.
    return etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


_NOT_MODIFIED_ATTRIBUTE = "fintrack_not_modified"


def answered_not_modified(request: Request) -> bool:
    """Whether this request is being answered 304 (for a throttle that counts work: none is
    done)."""
    return getattr(request._request, _NOT_MODIFIED_ATTRIBUTE, False)


class ConditionalGet(BasePermission):
    """Never refuses: it tags the request with its ETag, or raises NotModified."""

    def has_permission(self, request: Request, view: Any) -> bool:
        django_request = request._request
        django_request.fintrack_signed_in = True  # type: ignore[attr-defined]
        if request.method not in _SAFE or not getattr(view, "conditional_get", True):
            return True
        user = request.user
        if not isinstance(user, User):
            return True
        etag_state = getattr(view, "etag_state", None)
        etag = etag_of(user, request, extra=etag_state(request) if etag_state else "")
        django_request.fintrack_etag = etag  # type: ignore[attr-defined]
        header = request.headers.get("If-None-Match")
        if header and _matches(etag, header):
            setattr(django_request, _NOT_MODIFIED_ATTRIBUTE, True)
            count_before_answering(request, view)
            raise NotModified
        return True


class CacheControlMiddleware:
    """`private, no-cache` (revalidate with the ETag) on a tagged answer, `private, no-store`
    on every other answer to a signed-in user: no shared cache keeps anyone's money."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        etag = getattr(request, "fintrack_etag", None)
        if etag is not None and response.status_code in (200, 304):
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
        elif getattr(request, "fintrack_signed_in", False) or "HTTP_AUTHORIZATION" in request.META:
            # A 401 to a request with credentials too: its answer is no more a shared cache's.
            response["Cache-Control"] = "private, no-store"
        return response
