"""Assertions the API test modules share: the RFC 9457 problem details every error takes."""

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def assert_problem(
    response: HttpResponse, status: int, *, errors: Iterable[str] | None = None
) -> dict[str, Any]:
    """Assert a problem+json answer of `status`; with `errors`, exactly those fields failed.

    Returns the parsed body for further checks.
    """
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = json.loads(response.content)
    expected_keys = {"type", "title", "status", "detail"}
    if errors is not None:
        expected_keys.add("errors")
    assert set(body) == expected_keys
    assert body["status"] == status
    assert body["title"] == HTTPStatus(status).phrase
    assert isinstance(body["type"], str)
    assert body["type"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if errors is not None:
        assert set(body["errors"]) == set(errors)
        for messages in body["errors"].values():
            assert messages
            assert all(isinstance(message, str) and message for message in messages)
    return body


def assert_unauthorized(response: HttpResponse) -> dict[str, Any]:
    """A 401 problem that tells the client how to authenticate (RFC 9110, section 11.6.1)."""
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    return body


def rate_limit(response: HttpResponse) -> tuple[str, str, str]:
    """The answer's RateLimit-Limit, -Remaining and -Reset."""
    return (
        response["RateLimit-Limit"],
        response["RateLimit-Remaining"],
        response["RateLimit-Reset"],
    )


def assert_quota_refused(response: HttpResponse, *, limit: int, wait: int) -> None:
    """A 429 of a used-up quota: Retry-After and RateLimit-Reset both the wait."""
    body = assert_problem(response, 429)
    assert body["type"] == "urn:fintrack:problem:throttled"
    assert response["Retry-After"] == str(wait)
    assert rate_limit(response) == (str(limit), "0", str(wait))
