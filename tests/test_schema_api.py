"""GET /api/schema/, /api/docs/ and /api/redoc/: the OpenAPI document and its two viewers."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

SCHEMA_URL = "/api/schema/?format=json"
# The contract's only endpoints open without a token (the docs themselves are not in the schema).
PUBLIC_OPERATIONS = {
    ("/api/register/", "post"),
    ("/api/token/", "post"),
    ("/api/token/refresh/", "post"),
    ("/api/health/", "get"),
}
HTTP_METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}
ASSET_PATTERN = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture
def schema(anon_client: APIClient) -> dict:
    response = anon_client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def _operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def _bearer_schemes(schema: dict) -> set[str]:
    schemes = schema.get("components", {}).get("securitySchemes", {})
    return {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer"
    }


@pytest.mark.django_db
def test_schema_is_an_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "fintrack API"
    assert schema["info"]["version"]
    assert schema["paths"]


@pytest.mark.django_db
def test_schema_lists_the_accounts_and_service_endpoints(schema):
    operations = {(path, method) for path, method, _ in _operations(schema)}

    assert operations >= PUBLIC_OPERATIONS
    assert {
        ("/api/logout/", "post"),
        ("/api/me/", "get"),
        ("/api/me/", "patch"),
        ("/api/me/delete/", "post"),
        ("/api/me/password/", "post"),
    } <= operations
    assert ("/api/me/", "put") not in operations


@pytest.mark.django_db
def test_schema_is_yaml_by_default(anon_client):
    response = anon_client.get("/api/schema/")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_schema_generates_without_errors_or_warnings(tmp_path):
    target = tmp_path / "schema.json"

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", target
    )

    assert json.loads(target.read_text())["openapi"].startswith("3.")


@pytest.mark.django_db
def test_schema_declares_a_bearer_security_scheme(schema):
    assert _bearer_schemes(schema)


@pytest.mark.django_db
def test_every_operation_needing_a_token_requires_the_bearer_scheme(schema):
    bearer = _bearer_schemes(schema)

    for path, method, operation in _operations(schema):
        requirements = operation.get("security", schema.get("security", []))
        if (path, method) in PUBLIC_OPERATIONS:
            # Open: no requirement, or an empty one that lets an anonymous caller through.
            assert not requirements or {} in requirements, (path, method)
        else:
            assert requirements, (path, method)
            assert {} not in requirements, (path, method)
            assert all(set(requirement) <= bearer for requirement in requirements), (path, method)


@pytest.mark.django_db
def test_every_operation_needing_a_token_documents_a_401_problem(schema):
    checked = 0
    for path, method, operation in _operations(schema):
        if (path, method) in PUBLIC_OPERATIONS:
            continue
        response = operation["responses"].get("401")
        assert response is not None, (path, method)
        assert list(response["content"]) == ["application/problem+json"], (path, method)
        checked += 1

    assert checked >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/token/", "/api/token/refresh/"])
def test_token_endpoints_document_their_401_problem(schema, path):
    responses = schema["paths"][path]["post"]["responses"]

    assert set(responses["200"]["content"]["application/json"]["schema"]) == {"$ref"}
    assert list(responses["401"]["content"]) == ["application/problem+json"]


@pytest.mark.django_db
def test_problem_answers_point_at_the_problem_shape(schema):
    schemas = schema["components"]["schemas"]

    for path, method, operation in _operations(schema):
        for code, response in operation["responses"].items():
            if not code.startswith(("4", "5")):
                continue
            content = response["content"]
            assert list(content) == ["application/problem+json"], (path, method, code)
            ref = content["application/problem+json"]["schema"]["$ref"]
            problem = schemas[ref.rsplit("/", 1)[-1]]
            assert {"type", "title", "status", "detail"} <= set(problem["required"])
            assert "errors" in problem["properties"]


@pytest.mark.django_db
def test_documented_statuses_are_what_the_api_answers(schema):
    register = schema["paths"]["/api/register/"]["post"]["responses"]
    me_get = schema["paths"]["/api/me/"]["get"]["responses"]

    assert {"201", "400", "413", "415", "429"} <= set(register)
    assert "401" not in register
    assert {"200", "401", "429"} <= set(me_get)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "marker"),
    [("/api/docs/", "SwaggerUIBundle"), ("/api/redoc/", "redoc")],
    ids=["swagger-ui", "redoc"],
)
def test_docs_are_html_served_from_local_assets_only(anon_client, path, marker):
    response = anon_client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert marker in html
    assert "/api/schema/" in html
    for cdn in ("cdn.", "unpkg", "jsdelivr", "googleapis", "gstatic", "cloudflare"):
        assert cdn not in html, cdn
    assets = ASSET_PATTERN.findall(html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert "//" not in asset, asset
        # Present on disk, so that `collectstatic` ships it and the page works offline.
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.django_db
def test_docs_need_no_token_but_a_token_does_no_harm(anon_client, alice_client):
    for client in (anon_client, alice_client):
        for path in ("/api/docs/", "/api/redoc/", SCHEMA_URL):
            assert client.get(path).status_code == 200, path
