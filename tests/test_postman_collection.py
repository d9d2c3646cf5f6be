"""docs/postman/: the committed collection covers the schema and is what the builder writes."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from rest_framework.test import APIClient

POSTMAN = Path(__file__).resolve().parent.parent / "docs" / "postman"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_collection", POSTMAN / "build_collection.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return _builder()


@pytest.fixture
def schema(anon_client: APIClient) -> dict:
    response = anon_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _committed(name: str) -> dict:
    return json.loads((POSTMAN / name).read_text())


@pytest.mark.django_db
def test_every_operation_of_the_schema_is_in_the_committed_collection(builder, schema):
    operations = set(builder.schema_operations(schema))
    in_collection = builder.collection_operations(_committed("fintrack.postman_collection.json"))

    missing = sorted(operations - in_collection)
    assert not missing, f"missing from the Postman collection (run `make postman`): {missing}"
    assert in_collection <= operations, sorted(in_collection - operations)


@pytest.mark.django_db
def test_the_committed_files_are_what_make_postman_writes(builder, schema):
    for path, text in builder.build(schema).items():
        assert path.read_text() == text, f"{path.name} is stale: run `make postman`"


@pytest.mark.django_db
def test_the_schema_the_builder_reads_is_the_one_the_api_serves(builder, schema):
    assert builder.load_schema() == schema


@pytest.mark.django_db
def test_the_builder_refuses_a_schema_with_an_operation_the_flow_lacks(builder, schema):
    schema["paths"]["/api/new-thing/"] = {
        "get": {"operationId": "new_thing", "responses": {"200": {}}}
    }

    with pytest.raises(builder.CollectionError, match="GET /api/new-thing/"):
        builder.build(schema)


@pytest.mark.django_db
def test_the_builder_refuses_a_status_the_schema_does_not_document(builder, schema):
    del schema["paths"]["/api/categories/{id}/"]["delete"]["responses"]["409"]

    with pytest.raises(builder.CollectionError, match="expects 409"):
        builder.build(schema)


def test_every_request_has_tests_and_error_steps_check_the_problem_type():
    collection = _committed("fintrack.postman_collection.json")
    requests = [item for folder in collection["item"] for item in folder["item"]]

    assert len(requests) >= 90
    for item in requests:
        tests = [e for e in item["event"] if e["listen"] == "test"]
        assert tests, item["name"]
        script = "\n".join(tests[0]["script"]["exec"])
        assert "pm.response.to.have.status(" in script, item["name"]
        if "status is 4" in script:
            assert "urn:fintrack:problem:" in script, item["name"]


def test_the_run_checks_401_400_and_bobs_404():
    collection = _committed("fintrack.postman_collection.json")
    names = [item["name"] for folder in collection["item"] for item in folder["item"]]

    assert "Me without a token is 401" in names
    assert "Create an income: a negative amount is 400" in names
    assert "Bob cannot read Alice's income: 404" in names


def test_the_environment_starts_empty_but_for_the_base_url():
    environment = _committed("fintrack.postman_environment.json")
    values = {v["key"]: v["value"] for v in environment["values"]}

    assert values.pop("baseUrl") == "http://127.0.0.1:8000"
    assert {"accessToken", "refreshToken", "aliceUsername", "alicePassword"} <= set(values)
    assert set(values.values()) == {""}
