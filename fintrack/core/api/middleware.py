"""Middleware of the API: error answers under /api/ as problem+json, per-view body limits, and
the rate limit headers."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .problems import problem_json_response
from .throttles import RATE_LIMIT_ATTRIBUTE, count_signed_in_caller

_KEPT_HEADERS = (
    "Allow",
    "Cache-Control",
    "Retry-After",
    "WWW-Authenticate",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)
_JSON_TYPES = ("application/json", "application/problem+json")

logger = logging.getLogger("fintrack.errors")

_DETAILS = {
    400: "The request could not be understood.",
    403: "You may not do this.",
    404: "No resource lives at this address.",
    405: "This method is not allowed here.",
    411: "Send the body with a Content-Length.",
    413: "The request body is larger than 1 MiB.",
    500: "An unexpected error occurred. It has been logged.",
}


API_PREFIX = "/api/"
# Static files are fetched by scripts and API tools too: their errors are problems as well.
PROBLEM_PREFIXES = (API_PREFIX, "/static/")
MIB = 1024 * 1024
CHUNKED_BODY_DETAIL = "Send the body with a Content-Length; a chunked body is not read."


def is_api_request(request: HttpRequest) -> bool:
    """Under /api/ (or /static/): errors answer as problem details. The pages outside (the
    web app, the docs' redirects) are HTML with Django's own error pages."""
    path = request.path_info
    return path.startswith(PROBLEM_PREFIXES) or path == API_PREFIX.rstrip("/")


def body_limit(view_func: Callable[..., Any]) -> int:
    """The most bytes a view accepts: its class's (or function's) `max_body_bytes`, or
    settings.MAX_REQUEST_BODY_BYTES (1 MiB). A view taking uploads declares a larger one."""
    for holder in (getattr(view_func, "cls", None), getattr(view_func, "view_class", None)):
        if holder is not None and getattr(holder, "max_body_bytes", None) is not None:
            return int(holder.max_body_bytes)
    return int(getattr(view_func, "max_body_bytes", settings.MAX_REQUEST_BODY_BYTES))


def size_text(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"


class ProblemDetailsMiddleware:
    """Rewrite any non-JSON error under /api/ as problem details.

    Django answers some errors before any view runs (unknown URL, bad Host header) and, under
    DEBUG, as HTML debug pages; API clients must never see either. Pages outside /api/ keep
    Django's own answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refuse_query(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code >= 400 and is_api_request(request) and not self.is_json(response):
            return self.as_problem(response)
        return response

    @staticmethod
    def _refuse_query(request: HttpRequest) -> HttpResponse | None:
        # Parsed here, once, so that too many parameters is a client error wherever they are
        # first read (a throttle, a filter), not an exception escaping as a logged 500.
        try:
            request.GET  # noqa: B018
        except TooManyFieldsSent:
            logger.warning("Too many query parameters on %s %s", request.method, request.path)
            return problem_json_response(
                400,
                detail=f"Too many query parameters (more than "
                f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}).",
                code="too_many_parameters",
            )
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Let Django log it and build its answer; __call__ then turns that into a problem.
        return None

    @staticmethod
    def is_json(response: HttpResponseBase) -> bool:
        content_type = response.get("Content-Type", "")
        return content_type.split(";")[0].strip() in _JSON_TYPES

    @staticmethod
    def as_problem(response: HttpResponseBase) -> HttpResponse:
        status_code = response.status_code
        detail = _DETAILS.get(status_code, "The request failed.")
        problem = problem_json_response(status_code, detail=detail)
        for header in _KEPT_HEADERS:
            if header in response:
                problem[header] = response[header]
        return problem


class RequestBodyLimitMiddleware:
    """Refuse a body over the view's limit (`body_limit`) before the view reads any of it.

    Checked once the URL is resolved, so each view has its own limit (1 MiB by default; the CSV
    import declares 10 MiB) and no global rule refuses an upload its view accepts. DRF reads
    the stream itself and never consults Django's DATA_UPLOAD_MAX_MEMORY_SIZE, so this is the
    one rule. A chunked body (no Content-Length), which Django would read as empty, is a 411.
    Under /api/ the refusal is problem+json; elsewhere a plain answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.headers.get("content-length") or "0")
        except ValueError:
            return self._refuse(request, 400, "Content-Length is not a number.")
        if length < 0:
            return self._refuse(request, 400, "Content-Length is negative.")
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if "transfer-encoding" in request.headers:
            # Django reads a body by its Content-Length only: a chunked one would be taken for
            # no body at all (a PATCH answered 200 having changed nothing). RFC 9110 15.5.12.
            if is_api_request(request):
                count_signed_in_caller(request)  # for the RateLimit-* headers
            return self._refuse(
                request,
                411,
                CHUNKED_BODY_DETAIL,
                code="length_required",
            )
        limit = body_limit(view_func)
        # A well-formed Content-Length: __call__ refused any other before the URL was resolved.
        if int(request.headers.get("content-length") or "0") > limit:
            detail = f"The request body is larger than {size_text(limit)}."
            if is_api_request(request):
                count_signed_in_caller(request)  # for the RateLimit-* headers
            return self._refuse(request, 413, detail, code="payload_too_large")
        return None

    @staticmethod
    def _refuse(
        request: HttpRequest, status_code: int, detail: str, *, code: str | None = None
    ) -> HttpResponse:
        if is_api_request(request):
            return problem_json_response(status_code, detail=detail, code=code)
        return HttpResponse(detail, status=status_code, content_type="text/plain; charset=utf-8")


class RateLimitHeadersMiddleware:
    """Adds RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds) to every answer
    that went through a throttle, from the state the tightest throttle left on the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, RATE_LIMIT_ATTRIBUTE, None)
        if state is not None:
            response["RateLimit-Limit"] = str(state.limit)
            response["RateLimit-Remaining"] = str(state.remaining)
            response["RateLimit-Reset"] = str(state.reset)
        return response


class HttpsRedirectKeepsBodiesMiddleware:
    """Just outside Django's SecurityMiddleware: its redirect to HTTPS of a request with a body
    becomes a 308. Clients follow a 301 with a GET and no body, so a POST sent over plain HTTP
    was lost (or turned into a read) instead of repeated over HTTPS. GET and HEAD keep the 301."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 301
            and settings.SECURE_SSL_REDIRECT
            and not request.is_secure()
            and request.method not in ("GET", "HEAD")
            and response.get("Location", "").startswith("https://")
        ):
            response.status_code = 308
        return response
