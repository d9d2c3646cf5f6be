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
    ("/api/password-reset/", "post"),
    ("/api/password-reset/confirm/", "post"),
    ("/api/", "get"),
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
        ("/api/password-reset/", "post"),
        ("/api/password-reset/confirm/", "post"),
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
def test_every_answer_documents_the_rate_limit_headers_and_429_503_retry_after(schema):
    """The contract: every answer to a signed-in user carries RateLimit-*; a 429 Retry-After."""
    headers = schema["components"]["headers"]
    assert headers["Retry-After"]["required"] is True
    assert all(headers[name]["schema"]["type"] == "integer" for name in headers)
    rate_limit = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    checked = 0
    for path, method, operation in _operations(schema):
        for status_code, response in operation["responses"].items():
            documented = response.get("headers", {})
            expected = rate_limit | ({"Retry-After"} if status_code in {"429", "503"} else set())
            assert {name for name in documented if name in headers} == expected, (
                path,
                method,
                status_code,
            )
            assert all(
                documented[name] == {"$ref": f"#/components/headers/{name}"} for name in expected
            )
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_the_headers_the_contract_promises_are_documented(schema):
    """WWW-Authenticate on every 401, ETag on 304s, Idempotent-Replayed on the creates that take
    an Idempotency-Key, Content-Disposition on the export; Cache-Control on every answer."""
    operations = {(path, method): operation for path, method, operation in _operations(schema)}
    for (path, method), operation in operations.items():
        responses = operation["responses"]
        if "401" in responses:
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True, path
        if "304" in responses:
            assert "ETag" in responses["304"]["headers"], path
        takes_key = any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
        success = responses.get("201") or responses.get("200") or {}
        assert ("Idempotent-Replayed" in success.get("headers", {})) == takes_key, (path, method)
        for code, response in responses.items():
            assert "Cache-Control" in response["headers"], (path, method, code)
    export = operations[("/api/export/", "get")]
    assert export["responses"]["200"]["headers"]["Content-Disposition"]["required"] is True
    bounds = {p["name"]: p["schema"] for p in export["parameters"] if "amount" in p["name"]}
    expenses = operations[("/api/expenses/", "get")]
    assert bounds == {
        p["name"]: p["schema"] for p in expenses["parameters"] if "amount" in p["name"]
    }
    assert bounds["min_amount"]["type"] == "string"


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
    # Swagger UI's start script is its own request (no inline script under the CSP).
    script = anon_client.get(path, {"script": ""}).content.decode() if "docs" in path else ""

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert marker in html + script
    assert "/api/schema/" in html + script
    for cdn in ("cdn.", "unpkg", "jsdelivr", "googleapis", "gstatic", "cloudflare"):
        assert cdn not in html, cdn
    assets = ASSET_PATTERN.findall(html)
    assert assets
    for asset in assets:
        if asset == f"{path}?script=":  # Swagger UI's start script, served by the page's view
            continue
        assert asset.startswith("/static/"), asset
        assert "//" not in asset, asset
        # Present on disk, so that `collectstatic` ships it and the page works offline.
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.django_db
def test_docs_need_no_token_but_a_token_does_no_harm(anon_client, alice_client):
    for client in (anon_client, alice_client):
        for path in ("/api/docs/", "/api/redoc/", SCHEMA_URL):
            assert client.get(path).status_code == 200, path


# The docs pages handle a typed token: no localStorage, nothing loaded from elsewhere.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script=", "/api/redoc/"])
def test_docs_pages_send_a_csp_allowing_only_their_own_assets(anon_client, path):
    response = anon_client.get(path)

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_swagger_page_runs_no_inline_script(anon_client):
    html = anon_client.get("/api/docs/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


@pytest.mark.django_db
def test_swagger_ui_does_not_keep_the_token_in_local_storage(anon_client):
    script = anon_client.get("/api/docs/", {"script": ""}).content.decode()

    assert '"persistAuthorization": false' in script or '"persistAuthorization":false' in script


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_a_405_on_the_schema_is_a_json_problem_not_yaml(anon_client, method):
    response = getattr(anon_client, method)("/api/schema/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405


# What a new user and a generated client read: order, words, examples, types.

TAG_ORDER = [
    "accounts",
    "tokens",
    "incomes",
    "expenses",
    "categories",
    "tags",
    "budgets",
    "recurring",
    "imports",
    "export",
    "goals",
    "analytics",
    "sync",
    "service",
]
FILLER = ("string", "additionalProp1")


@pytest.mark.django_db
def test_tags_come_in_the_order_a_user_needs_them(schema):
    assert [tag["name"] for tag in schema["tags"]] == TAG_ORDER
    assert all(tag["description"] for tag in schema["tags"])
    used = {tag for _, _, operation in _operations(schema) for tag in operation["tags"]}
    assert used == set(TAG_ORDER)


@pytest.mark.django_db
def test_every_operation_has_a_one_line_summary_and_a_description(schema):
    summaries = set()
    for path, method, operation in _operations(schema):
        summary = operation.get("summary", "")
        assert summary, (path, method)
        assert "\n" not in summary and len(summary) <= 50, summary
        assert summary[0].isupper() and not summary.endswith("."), summary
        summaries.add(summary)
        description = operation.get("description", "")
        assert len(description) >= 20, (path, method)
        for note in ("subclass", "selector", "serializer", "queryset", "signed-in user's"):
            assert note not in description.lower(), (path, method, note)
    assert len(summaries) == len(_operations(schema))


def _example_values(media: dict) -> list:
    values = [example["value"] for example in media.get("examples", {}).values()]
    if "example" in media:
        values.append(media["example"])
    return values


@pytest.mark.django_db
def test_every_body_and_answer_has_a_realistic_example(schema):
    for path, method, operation in _operations(schema):
        bodies = [operation["requestBody"]] if "requestBody" in operation else []
        bodies += [r for r in operation["responses"].values() if "content" in r]
        for body in bodies:
            for media_type, media in body["content"].items():
                values = _example_values(media)
                assert values, (path, method, media_type)
                text = json.dumps(values)
                assert all(f'"{filler}"' not in text for filler in FILLER), (path, method)


@pytest.mark.django_db
def test_examples_of_array_answers_are_arrays_of_their_items(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                for media_type, content in (response.get("content") or {}).items():
                    if content.get("schema", {}).get("type") != "array":
                        continue
                    item_type = "object" if "$ref" in content["schema"]["items"] else None
                    for name, example in content.get("examples", {}).items():
                        where = (path, method, status, media_type, name)
                        assert isinstance(example["value"], list), where
                        if item_type == "object":
                            assert all(isinstance(v, dict) for v in example["value"]), where


@pytest.mark.django_db
def test_the_expense_example_is_money_as_text_and_a_real_category(schema):
    operation = schema["paths"]["/api/expenses/"]["post"]
    (request,) = _example_values(operation["requestBody"]["content"]["application/json"])
    (answer,) = _example_values(operation["responses"]["201"]["content"]["application/json"])

    assert request["amount"] == "42.10"
    assert request["category"] == "Groceries"
    assert answer["amount"] == "42.10"


@pytest.mark.django_db
def test_error_examples_carry_their_real_status_and_problem_type(schema):
    checked = set()
    for _, _, operation in _operations(schema):
        for code, response in operation["responses"].items():
            if not code.startswith(("4", "5")):
                continue
            (example,) = _example_values(response["content"]["application/problem+json"])
            assert example["status"] == int(code)
            assert example["type"].startswith("urn:fintrack:problem:")
            assert example["detail"]
            checked.add(code)
    assert checked >= {"400", "401", "404", "409", "413", "415", "422", "429", "503"}


@pytest.mark.django_db
def test_every_operation_that_reads_the_database_documents_503(schema):
    for path, method, operation in _operations(schema):
        if path == "/api/":
            assert "503" not in operation["responses"]
        else:
            assert "503" in operation["responses"], (path, method)


@pytest.mark.django_db
def test_answers_mark_every_field_they_always_carry_as_required(schema):
    schemas = schema["components"]["schemas"]

    assert schemas["Contribution"]["required"] == ["id", "amount", "date", "note"]
    for name in ("Entry", "Goal", "Category", "Profile", "Summary", "Trends"):
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
    assert "errors" not in schemas["Problem"]["required"]
    pages = [name for name in schemas if name.startswith("Paginated")]
    assert len(pages) >= 10
    for name in pages:  # next and previous are null at the ends, never left out
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["min_amount", "max_amount"])
def test_amount_filters_are_decimal_strings(schema, name):
    (parameter,) = [
        p for p in schema["paths"]["/api/expenses/"]["get"]["parameters"] if p["name"] == name
    ]

    assert parameter["schema"]["type"] == "string"
    assert parameter["schema"]["format"] == "decimal"
    pattern = re.compile(parameter["schema"]["pattern"])
    assert pattern.match("42.10") and pattern.match("42") and pattern.match("0.5")
    assert not pattern.match("42.105") and not pattern.match("-1") and not pattern.match("1e3")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["42.10", "42", "0.5"])
def test_amount_filters_read_what_the_schema_allows(alice_client, value):
    response = alice_client.get("/api/expenses/", {"min_amount": value, "max_amount": value})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["42.105", "-1", "1e3", " 5", "5 ", "+5"])
def test_amount_filters_refuse_what_the_schema_refuses(alice_client, value):
    response = alice_client.get("/api/expenses/", {"min_amount": value})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"min_amount"}


@pytest.mark.django_db
def test_empty_query_parameters_are_documented_as_the_api_reads_them(schema, alice_client):
    """An empty query parameter is the parameter left out (allowEmptyValue); page and
    page_size refuse an empty value, and the schema does not allow one."""
    for path, method, operation in _operations(schema):
        if method != "get":
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            url = path.replace("{goal_pk}", "1").replace("{id}", "1")
            response = alice_client.get(url, {name: ""})
            if parameter.get("allowEmptyValue"):
                assert response.status_code in (200, 404), (path, name)
                assert response.status_code == 200 or "{" in path, (path, name)
            else:
                assert response.status_code in (400, 404), (path, name, response.status_code)
