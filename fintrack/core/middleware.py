"""Middleware that keeps every error answer problem+json, even those Django writes itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .problems import problem_json_response
from .throttles import RATE_LIMIT_ATTRIBUTE

_KEPT_HEADERS = (
    "Allow",
    "Retry-After",
    "WWW-Authenticate",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)
_JSON_TYPES = ("application/json", "application/problem+json")

_DETAILS = {
    400: "The request could not be understood.",
    403: "You may not do this.",
    404: "No resource lives at this address.",
    405: "This method is not allowed here.",
    413: "The request body is larger than 1 MiB.",
    500: "An unexpected error occurred. It has been logged.",
}


class ProblemDetailsMiddleware:
    """Refuse oversized bodies up front and rewrite any non-JSON error as problem details.

    Django answers some errors before any view runs (unknown URL, bad Host header) and, under
    DEBUG, as HTML debug pages; clients must never see either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refuse_body(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code >= 400 and not self._is_json(response):
            return self._as_problem(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Let Django log it and build its answer; __call__ then turns that into a problem.
        return None

    @staticmethod
    def _refuse_body(request: HttpRequest) -> HttpResponse | None:
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return problem_json_response(400, detail="Content-Length is not a number.")
        if length < 0:
            return problem_json_response(400, detail="Content-Length is negative.")
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return problem_json_response(413, detail=_DETAILS[413], code="payload_too_large")
        return None

    @staticmethod
    def _is_json(response: HttpResponse) -> bool:
        content_type = response.get("Content-Type", "")
        return content_type.split(";")[0].strip() in _JSON_TYPES

    @staticmethod
    def _as_problem(response: HttpResponse) -> HttpResponse:
        status_code = response.status_code
        detail = _DETAILS.get(status_code, "The request failed.")
        problem = problem_json_response(status_code, detail=detail)
        for header in _KEPT_HEADERS:
            if header in response:
                problem[header] = response[header]
        return problem


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
