"""GET /api/health/."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_reports_database_ok(anon_client):
    response = anon_client.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_is_503_problem_when_database_is_unreachable(anon_client):
    with mock.patch(
        "fintrack.core.api.views.connection.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = anon_client.get("/api/health/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    # The contract's 503: "the database is unreachable (with Retry-After)".
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == 503
    assert body["detail"] == "The database cannot be reached."
    assert "connection refused" not in response.content.decode()


# Redis (REDIS_URL) that cannot be reached: a port nothing listens on.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "signed_in"),
    [
        ("get", "/api/health/", False),
        ("get", "/api/me/", True),
        ("get", "/api/expenses/", True),
        ("post", "/api/token/", False),
    ],
)
def test_an_unreachable_cache_is_a_retryable_503_never_a_500(
    anon_client, alice_client, settings, method, path, signed_in
):
    """Every throttle counts in Redis: one down (restarting) answered 500 to every signed-in
    request and sign-in, while the health check said 200."""
    settings.CACHES = UNREACHABLE_REDIS
    client = alice_client if signed_in else anon_client

    response = getattr(client, method)(
        path, {"username": "a", "password": "b"} if method == "post" else None
    )

    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert (
        "6379" not in response.content.decode() and "127.0.0.1:1" not in response.content.decode()
    )
