"""RFC 9457 problem details: the one shape every error of the API takes."""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from fintrack.core import errors
from fintrack.core.api.conditional import NotModified
from fintrack.core.api.throttles import CACHE_OUTAGES, Window, report_state

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:fintrack:problem:"

logger = logging.getLogger("fintrack.errors")


class Conflict(exceptions.APIException):
    """The HTTP side of `fintrack.core.errors.Conflict`."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable."
    default_code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    default_detail = "The database is unavailable; retry in a few seconds."
    # DRF's handler turns `wait` into a Retry-After header.
    wait = 5


class CacheUnavailable(ServiceUnavailable):
    """The shared cache (Redis: the throttles' counters) cannot be reached."""

    default_detail = "A service fintrack needs is unavailable; retry in a few seconds."
    wait = 5


def problem_type(code: str) -> str:
    return PROBLEM_TYPE_PREFIX + code.replace("_", "-")


def problem_body(
    status_code: int,
    *,
    detail: str,
    code: str | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Build the problem document; `code` names the problem type, the status its title."""
    body: dict[str, Any] = {
        "type": problem_type(code or _default_code(status_code)),
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_json_response(
    status_code: int, *, detail: str, code: str | None = None
) -> JsonResponse:
    """A problem answer for code outside DRF views (middleware, plain Django views)."""
    return JsonResponse(
        problem_body(status_code, detail=detail, code=code),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"separators": (",", ":")},
    )


class ItemsValidationError(exceptions.ValidationError):
    """The HTTP side of `fintrack.core.errors.InvalidItems`: its errors are not flattened."""


def _default_code(status_code: int) -> str:
    return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into `{"field": ["message"]}`, nested keys dotted."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            name = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in flatten_errors(item, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's exception handler, answering problem+json for every exception, known or not."""
    if isinstance(exc, NotModified):
        return Response(status=status.HTTP_304_NOT_MODIFIED)  # no body: not a problem
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        # ObjectDoesNotExist: a service found the object gone, deleted by a concurrent request.
        # One message for every missing object: it must not tell which model was looked up,
        # nor whether the object exists for someone else.
        exc = exceptions.NotFound()
    elif isinstance(exc, OperationalError | InterfaceError):
        # The database is away (restarting, unreachable, locked): a retryable 503, not a 500.
        logger.warning("Database unavailable: %s", exc)
        exc = DatabaseUnavailable()
    elif isinstance(exc, CACHE_OUTAGES):
        # Redis is away (restarting, unreachable): the same retryable 503.
        logger.warning("Cache unavailable: %s", exc)
        exc = CacheUnavailable()
    elif isinstance(exc, errors.Invalid):
        exc = exceptions.ValidationError(detail=exc.errors)
    elif isinstance(exc, errors.InvalidItems):
        exc = ItemsValidationError(detail={exc.field: exc.errors})
    elif isinstance(exc, errors.Conflict):
        exc = Conflict(exc.message)
    elif isinstance(exc, errors.QuotaExceeded):
        # The quota turned out used up under its lock, after the throttle had let the request
        # through: the same 429 as a throttle's, and the headers say the quota is used up.
        request = context.get("request")
        if request is not None:
            window = Window(count=exc.limit, limit=exc.limit, reset=exc.wait)
            report_state(request, window, name=exc.name)
        exc = exceptions.Throttled(wait=exc.wait)
    elif isinstance(exc, DjangoValidationError):
        # A model's full_clean() in a service: the same 400 a serializer would give.
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    response = exception_handler(exc, context)
    if response is None:
        # Unexpected: log it whole for us, tell the client nothing about it.
        request = context.get("request")
        logger.error(
            "Unhandled exception on %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        set_rollback()
        response = Response(status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        response.data = problem_body(
            500, detail="An unexpected error occurred. It has been logged.", code="server_error"
        )
    elif isinstance(exc, exceptions.ValidationError):
        response.data = problem_body(
            response.status_code,
            detail="The request has invalid fields; see `errors`.",
            code="validation_error",
            # Errors by item position stay nested: the one exception to the flat convention.
            errors=exc.detail  # type: ignore[arg-type]
            if isinstance(exc, ItemsValidationError)
            else flatten_errors(exc.detail),
        )
    else:
        api_exc = exc if isinstance(exc, exceptions.APIException) else None
        detail = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
        code = _exception_code(api_exc)
        response.data = problem_body(response.status_code, detail=detail, code=code)
    response.content_type = PROBLEM_CONTENT_TYPE
    request = context.get("request")
    if request is not None:
        # A problem is JSON whatever renderer the view negotiated (the schema's is YAML).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = PROBLEM_CONTENT_TYPE
    return response


def _exception_code(exc: exceptions.APIException | None) -> str | None:
    if exc is None:
        return None
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    if isinstance(exc.detail, dict) and isinstance(exc.detail.get("code"), str):
        # simplejwt puts its reason (token_not_valid, user_not_found...) in the detail's
        # "code" entry; that entry's own code is only the generic authentication_failed.
        return str(exc.detail["code"])
    return exc.default_code
