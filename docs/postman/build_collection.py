"""Writes the Postman collection and environment of fintrack from its OpenAPI schema.

    make postman        # or: .venv/bin/python docs/postman/build_collection.py

The schema (generated in-process by drf-spectacular, exactly what /api/schema/ serves) gives
every request its URL, its path variables, the query parameters it accepts (listed, disabled
unless the step uses them), its description and the statuses it may answer; the hand-written
flow in postman_flow.py gives the order, the bodies and the tests. The build refuses to write
a collection that misses an operation of the schema, names one that does not exist, expects a
status the schema does not document, or sends a body field the schema does not know.
tests/test_postman_collection.py fails when the committed files differ from what this writes.
"""

import json
import os
import re
import sys
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
COLLECTION_FILE = HERE / "fintrack.postman_collection.json"
ENVIRONMENT_FILE = HERE / "fintrack.postman_environment.json"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
HTTP_METHODS = ("get", "put", "patch", "post", "delete")
# Throttled per client address (10/min, 5/min and 10/min by default): a run retries them after
# Retry-After.
THROTTLED_OPERATIONS = {
    "register",
    "token_obtain",
    "password_reset_request",
    "password_reset_confirm",
}
SECRET_VARIABLES = ("Token", "Password")

for path in (ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import postman_flow as flow  # noqa: E402


class CollectionError(Exception):
    """The flow and the schema disagree; the message says where."""


def load_schema() -> dict[str, Any]:
    """The OpenAPI document, as /api/schema/?format=json serves it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def schema_operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(path, upper-case method) -> operation, for every operation of the schema."""
    return {
        (path, method.upper()): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def collection_operations(collection: dict[str, Any]) -> set[tuple[str, str]]:
    """(schema path, method) of every request of a collection: `:id` reads as `{id}`."""
    found = set()
    for folder in collection["item"]:
        for item in folder["item"]:
            request = item["request"]
            segments = [
                "{" + s[1:] + "}" if s.startswith(":") else s for s in request["url"]["path"]
            ]
            found.add(("/" + "/".join(segments), request["method"]))
    return found


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _script(listen: str, lines: list[str]) -> dict[str, Any]:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": lines}}


def _bearer(variable: str) -> dict[str, Any]:
    return {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{" + variable + "}}", "type": "string"}],
    }


def _test_lines(step: flow.Step, operation: dict[str, Any], documented: list[int]) -> list[str]:
    lines = [
        f'pm.test("status is {step.expect}", function () {{',
        f"    pm.response.to.have.status({step.expect});",
        "});",
        'pm.test("the status is one the OpenAPI schema documents", function () {',
        f"    pm.expect({json.dumps(documented)}).to.include(pm.response.code);",
        "});",
    ]
    if step.expect in (204, 304):
        lines += [
            'pm.test("no body", function () {',
            '    pm.expect(pm.response.text()).to.eql("");',
            "});",
        ]
    elif step.expect >= 400:
        assert step.problem, f"{step.name}: an error answer names its problem type"
        problem = f"urn:fintrack:problem:{step.problem}"
        lines += [
            'pm.test("a problem+json answer: ' + step.problem + '", function () {',
            '    pm.expect(pm.response.headers.get("Content-Type")).to.match('
            r"/^application\/problem\+json/);",
            "    const body = pm.response.json();",
            f"    pm.expect(body.type).to.eql({json.dumps(problem)});",
            f"    pm.expect(body.status).to.eql({step.expect});",
            '    pm.expect(body).to.include.keys("title", "detail");',
            "});",
        ]
    else:
        pattern = step.media.replace("/", r"\/")
        lines += [
            f'pm.test("a {step.media} answer", function () {{',
            f'    pm.expect(pm.response.headers.get("Content-Type")).to.match(/^{pattern}/);',
            "});",
        ]
    for check in step.checks:
        lines += check
    if operation["operationId"] not in THROTTLED_OPERATIONS:
        return lines
    # Register, token and password reset are throttled per client address: wait, send again.
    return [
        'const retries = pm.variables.get("throttleRetries") || 0;',
        "if (pm.response.code === 429 && retries < 3) {",
        '    const seconds = Math.min(Number(pm.response.headers.get("Retry-After")) || 60, 75);',
        '    pm.variables.set("throttleRetries", retries + 1);',
        "    console.log(`${pm.info.requestName}: throttled, sending it again in ${seconds}s`);",
        "    pm.execution.setNextRequest(pm.info.requestName);",
        "    setTimeout(function () {}, seconds * 1000);",
        "} else {",
        '    pm.variables.set("throttleRetries", 0);',
        *[f"    {line}" if line else line for line in lines],
        "}",
    ]


def _url(step: flow.Step, operation: dict[str, Any]) -> dict[str, Any]:
    path_params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
    if set(step.path_vars) != set(path_params):
        raise CollectionError(
            f"{step.name}: path variables {sorted(step.path_vars)}, schema {sorted(path_params)}"
        )
    segments = [
        ":" + s[1:-1] if s.startswith("{") else s for s in step.path.strip("/").split("/")
    ] + [""]
    query_params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    query = []
    for key, value in step.query:
        if key not in query_params:
            raise CollectionError(f"{step.name}: query parameter {key} is not in the schema")
        query.append({"key": key, "value": value})
    used = {key for key, _ in step.query}
    for name, param in query_params.items():
        if name not in used:
            entry = {"key": name, "value": "", "disabled": True}
            if param.get("description"):
                entry["description"] = param["description"]
            query.append(entry)
    enabled = "&".join(f"{q['key']}={q['value']}" for q in query if not q.get("disabled"))
    url: dict[str, Any] = {
        "raw": "{{baseUrl}}/" + "/".join(segments) + (f"?{enabled}" if enabled else ""),
        "host": ["{{baseUrl}}"],
        "path": segments,
    }
    if query:
        url["query"] = query
    if step.path_vars:
        url["variable"] = [
            {"key": name, "value": value, "description": path_params[name].get("description", "")}
            for name, value in step.path_vars.items()
        ]
    return url


def _check_body(schema: dict[str, Any], step: flow.Step, operation: dict[str, Any]) -> None:
    if not isinstance(step.body, dict):
        return
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        raise CollectionError(f"{step.name}: the schema takes no JSON body here")
    known = _resolve(schema, content["schema"]).get("properties", {})
    unknown = set(step.body) - set(known)
    if unknown:
        raise CollectionError(f"{step.name}: body fields {sorted(unknown)} are not in the schema")


def _request_item(schema: dict[str, Any], step: flow.Step, operation: dict[str, Any]) -> dict:
    documented = sorted(int(code) for code in operation["responses"])
    if step.expect not in documented:
        raise CollectionError(
            f"{step.name}: expects {step.expect}, the schema documents {documented}"
        )
    if (step.expect >= 400) != (step.problem is not None):
        raise CollectionError(f"{step.name}: an error step names its problem type, no other")
    _check_body(schema, step, operation)
    headers = []
    if step.body is not None and "Content-Type" not in step.headers:
        headers.append({"key": "Content-Type", "value": "application/json"})
    headers += [{"key": key, "value": value} for key, value in step.headers.items()]
    description = operation.get("description", "").strip()
    if step.note:
        description = f"{step.note}\n\n{description}" if description else step.note
    request: dict[str, Any] = {"method": step.method, "header": headers}
    if step.as_user == "anonymous" or "Authorization" in step.headers:
        request["auth"] = {"type": "noauth"}
    elif step.as_user == "bob":
        request["auth"] = _bearer("bobAccessToken")
    if step.body is not None:
        raw = step.body if isinstance(step.body, str) else json.dumps(step.body, indent=4)
        request["body"] = {"mode": "raw", "raw": raw}
        if not isinstance(step.body, str):
            request["body"]["options"] = {"raw": {"language": "json"}}
    request["url"] = _url(step, operation)
    request["description"] = (
        f"`{step.method} {step.path}` ({operation['operationId']}), as "
        f"{step.as_user.capitalize() if step.as_user != 'anonymous' else 'nobody'}.\n\n"
        + description
    ).strip()
    item: dict[str, Any] = {"name": step.name, "event": [], "request": request, "response": []}
    if step.prerequest:
        item["event"].append(_script("prerequest", step.prerequest))
    item["event"].append(_script("test", _test_lines(step, operation, documented)))
    return item


COLLECTION_DESCRIPTION = """\
Every endpoint of the fintrack API, in an order that runs top to bottom: it registers two fresh \
users (Alice and Bob), signs them in, and goes through every resource (create, list with \
filters, read, PUT, PATCH, the error cases including Bob's 404 on Alice's records, delete), the \
goals and their contributions, the summary and trends, tokens and logout, and finally deletes \
both accounts. Every request has tests.

Import this collection and `fintrack.postman_environment.json`, select the environment \
**fintrack (local)**, serve the API (`make run`) and press **Run**. The run stores the tokens \
it gets in the environment (`accessToken`, `refreshToken`, `bobAccessToken`, ...); the \
collection's Bearer auth uses `accessToken`.

Generated by `docs/postman/build_collection.py` from the OpenAPI schema (`make postman`); edit \
`docs/postman/postman_flow.py`, not this file."""

ENVIRONMENT_GUARD = [
    "// The run keeps its users, tokens and ids in the environment.",
    'if (!pm.environment.has("baseUrl")) {',
    "    throw new Error(",
    '        "Select the environment \\"fintrack (local)\\" (docs/postman/"',
    '        + "fintrack.postman_environment.json) before sending."',
    "    );",
    "}",
]


def build_collection(schema: dict[str, Any]) -> dict[str, Any]:
    operations = schema_operations(schema)
    folders = []
    names: set[str] = set()
    covered: set[tuple[str, str]] = set()
    for folder in flow.FOLDERS:
        items = []
        for step in folder.steps:
            key = (step.path, step.method)
            if key not in operations:
                raise CollectionError(
                    f"{step.name}: {step.method} {step.path} is not in the schema"
                )
            if step.name in names:
                raise CollectionError(f"two steps are named {step.name!r}")
            names.add(step.name)
            covered.add(key)
            items.append(_request_item(schema, step, operations[key]))
        folders.append({"name": folder.name, "description": folder.description, "item": items})
    missing = sorted(set(operations) - covered)
    if missing:
        listed = ", ".join(f"{method} {path}" for path, method in missing)
        raise CollectionError(f"no step of postman_flow.py covers: {listed}")
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "fintrack/postman/collection")),
            "name": schema["info"]["title"],
            "description": COLLECTION_DESCRIPTION,
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": _bearer("accessToken"),
        "event": [_script("prerequest", ENVIRONMENT_GUARD)],
        "item": folders,
        "variable": [],
    }


def build_environment(collection: dict[str, Any]) -> dict[str, Any]:
    """baseUrl, and every variable the run sets, empty until it does."""
    text = json.dumps(collection)
    variables = set(re.findall(r"\{\{(\w+)\}\}", text))
    variables |= set(re.findall(r'pm\.environment\.(?:set|get)\(\\"(\w+)\\"', text))
    variables.discard("baseUrl")
    values = [{"key": "baseUrl", "value": DEFAULT_BASE_URL, "type": "default", "enabled": True}]
    for name in sorted(variables):
        secret = any(word in name for word in SECRET_VARIABLES)
        values.append(
            {"key": name, "value": "", "type": "secret" if secret else "default", "enabled": True}
        )
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "fintrack/postman/environment")),
        "name": "fintrack (local)",
        "values": values,
        "_postman_variable_scope": "environment",
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build(schema: dict[str, Any] | None = None) -> dict[Path, str]:
    """The text of each file, built from the schema (the live one when none is given)."""
    collection = build_collection(schema if schema is not None else load_schema())
    return {
        COLLECTION_FILE: render(collection),
        ENVIRONMENT_FILE: render(build_environment(collection)),
    }


def main() -> None:
    try:
        files = build()
    except CollectionError as exc:
        sys.exit(f"build_collection: {exc}")
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
