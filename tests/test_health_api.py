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
