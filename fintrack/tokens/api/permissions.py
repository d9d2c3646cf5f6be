"""What a personal access token may do: nothing on the account settings and the tokens
themselves, and with the `read` scope only GET, HEAD and OPTIONS.

A permission, for the reason fintrack.recurring.api.permissions gives: one settings line
(DEFAULT_PERMISSION_CLASSES) covers every endpoint, whatever app it belongs to. Views that set
their own permission classes are the public ones, which take no credential at all.
"""

from typing import Any

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from fintrack.core.api.throttles import count_before_answering

from ..authentication import refused_methods
from ..models import PersonalAccessToken, Scope


# Raised, not returned as False, for their own problem types (`urn:fintrack:problem:forbidden`,
# `...:insufficient-scope`; the exception handler names a problem by its code). This module
# does not import fintrack.core.api.problems: DRF imports it while rest_framework.views loads.
class TokenForbidden(PermissionDenied):
    """A personal access token on an endpoint that no such token may use (account settings and
    the tokens themselves): a leaked token cannot take the account over."""

    default_detail = (
        "A personal access token cannot be used here: account settings and tokens need a "
        "sign-in with your password."
    )
    default_code = "forbidden"


class InsufficientScope(PermissionDenied):
    """A `read` personal access token on a method that writes."""

    default_detail = (
        "This personal access token has the read scope: it may only use GET, HEAD and OPTIONS."
    )
    default_code = "insufficient_scope"


class IsWithinTokenScope(BasePermission):
    """Passes every request not made with a personal access token; refuses, with a 403, a
    token on a view that refuses them (`refuses_personal_access_tokens`) and a read token's
    unsafe method."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, PersonalAccessToken):
            return True
        if request.method in refused_methods(view):
            count_before_answering(request, view)
            raise TokenForbidden()
        if token.scope == Scope.READ and request.method not in SAFE_METHODS:
            count_before_answering(request, view)
            raise InsufficientScope()
        return True
