"""GET /api/ (the index), `/` and the docs pages without their slash, and /favicon.ico: the
first addresses a new user types."""

import pytest
from django.conf import settings
from django.test import override_settings

from .assertions import assert_problem

BASE = "http://testserver"


def test_index_lists_the_docs_and_every_resource(anon_client):
    response = anon_client.get("/api/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "name": "fintrack API",
        "version": settings.SPECTACULAR_SETTINGS["VERSION"],
        "docs": {
            "swagger_ui": f"{BASE}/api/docs/",
            "redoc": f"{BASE}/api/redoc/",
            "schema": f"{BASE}/api/schema/",
        },
        "resources": {
            "register": f"{BASE}/api/register/",
            "token": f"{BASE}/api/token/",
            "me": f"{BASE}/api/me/",
            "tokens": f"{BASE}/api/tokens/",
            "incomes": f"{BASE}/api/incomes/",
            "expenses": f"{BASE}/api/expenses/",
            "categories": f"{BASE}/api/categories/",
            "tags": f"{BASE}/api/tags/",
            "budgets": f"{BASE}/api/budgets/",
            "budget_status": f"{BASE}/api/budgets/status/",
            "recurring": f"{BASE}/api/recurring/",
            "recurring_upcoming": f"{BASE}/api/recurring/upcoming/",
            "imports": f"{BASE}/api/imports/",
            "export": f"{BASE}/api/export/",
            "goals": f"{BASE}/api/goals/",
            "summary": f"{BASE}/api/summary/",
            "trends": f"{BASE}/api/summary/trends/",
            "changes": f"{BASE}/api/changes/",
            "health": f"{BASE}/api/health/",
        },
    }


def test_index_needs_no_token_and_touches_no_database(anon_client, alice_client):
    # No database marker on the anonymous call: a query would fail the test.
    assert anon_client.get("/api/").status_code == 200
    assert alice_client.get("/api/").status_code == 200


@pytest.mark.django_db
def test_index_links_every_collection_of_the_schema(anon_client):
    schema = anon_client.get("/api/schema/?format=json").json()
    collections = {
        path
        for path, item in schema["paths"].items()
        if "get" in item and "{" not in path and path != "/api/"
    }

    linked = {
        url.removeprefix(BASE) for url in anon_client.get("/api/").json()["resources"].values()
    }

    assert collections <= linked


def test_index_answers_405_to_a_write(anon_client):
    response = anon_client.post("/api/", {}, format="json")

    assert_problem(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_root_redirects_to_the_home_url(anon_client):
    response = anon_client.get("/")

    assert response.status_code == 302
    assert response["Location"] == settings.HOME_URL == "/app/"


@override_settings(HOME_URL="/api/docs/")
def test_root_redirect_follows_the_setting(anon_client):
    assert anon_client.get("/")["Location"] == "/api/docs/"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/api", "/api/"),
        ("/api/docs", "/api/docs/"),
        ("/api/redoc", "/api/redoc/"),
        ("/api/schema", "/api/schema/"),
        ("/api/schema?format=json", "/api/schema/?format=json"),
    ],
)
def test_pages_without_their_slash_redirect_on_get(anon_client, path, target):
    response = anon_client.get(path)

    assert response.status_code == 302
    assert response["Location"] == target
    assert anon_client.head(path).status_code == 302


@pytest.mark.parametrize("path", ["/api", "/api/docs"])
def test_a_body_is_never_redirected(anon_client, path):
    response = anon_client.post(path, {"amount": "42.10"}, format="json")

    assert_problem(response, 405)


def test_a_body_to_the_root_is_not_redirected_either(anon_client):
    """`/` is the web app's (outside /api/): a plain 405, not a redirect that drops the body."""
    response = anon_client.post("/", {"amount": "42.10"}, format="json")

    assert response.status_code == 405


def test_api_paths_without_a_slash_stay_404(alice_client):
    assert_problem(alice_client.post("/api/expenses", {"amount": "1.00"}, format="json"), 404)
    assert_problem(alice_client.get("/api/expenses"), 404)


def test_favicon_is_served_by_the_app(anon_client):
    response = anon_client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response["Cache-Control"] == "public, max-age=86400"


def test_docs_pages_name_the_apps_favicon(anon_client):
    redoc = anon_client.get("/api/redoc/").content.decode()
    swagger = anon_client.get("/api/docs/").content.decode()

    assert 'rel="icon" type="image/png" href="/static/fintrack/favicon.png"' in redoc
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png" in swagger
