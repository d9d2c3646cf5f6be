"""CORS: only the origins named in CORS_ALLOWED_ORIGINS, with the headers clients need."""

import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def allowed_origin(settings: Settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]


@pytest.mark.django_db
def test_a_preflight_from_an_allowed_origin_may_send_the_token_and_an_idempotency_key(client):
    response = client.options(
        "/api/expenses/",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed


@pytest.mark.django_db
def test_answers_expose_the_rate_limit_headers_to_an_allowed_origin(alice_client):
    response = alice_client.get("/api/me/", HTTP_ORIGIN="https://app.example.com")

    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"} <= exposed


@pytest.mark.django_db
def test_error_answers_keep_their_cors_headers(client):
    response = client.get("/api/no-such-thing/", HTTP_ORIGIN="https://app.example.com")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"


@pytest.mark.django_db
def test_another_origin_gets_no_cors_headers(alice_client):
    response = alice_client.get("/api/me/", HTTP_ORIGIN="https://evil.example.net")

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
