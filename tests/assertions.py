"""Assertions the API test modules share: the RFC 9457 problem details every error takes."""

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
    body = response.json()
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
