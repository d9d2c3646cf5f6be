"""ETag, If-None-Match and Cache-Control on every answer about the user's data."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from fintrack.accounts.models import User

from .conftest import client_for
from .test_changes_api import _budget, _contribute, _expense, _goal, _income, _rule


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


@pytest.fixture
def objects(alice_client: APIClient) -> dict[str, Any]:
    client = alice_client
    expense = _expense(client, tags=["work"])
    income = _income(client)
    goal = _goal(client)
    contribution = _contribute(client, goal["id"])
    budget = _budget(client)
    rule = _rule(client)
    csv = "Date,Amount,Description,Category\n2026-11-04,-9.99,Cinema,Fun\n"
    batch = _ok(client.generic("POST", "/api/imports/", csv, content_type="text/csv"), 201)
    category = _ok(client.get("/api/categories/"))["results"][0]
    tag = _ok(client.get("/api/tags/"))["results"][0]
    return {
        "expense": expense,
        "income": income,
        "goal": goal,
        "contribution": contribution,
        "budget": budget,
        "rule": rule,
        "import": batch,
        "category": category,
        "tag": tag,
    }


def _urls(objects: dict[str, Any]) -> list[str]:
    goal = objects["goal"]["id"]
    return [
        "/api/me/",
        "/api/incomes/",
        "/api/expenses/",
        "/api/expenses/?category=Food&page_size=10",
        "/api/categories/",
        "/api/tags/",
        "/api/budgets/",
        "/api/budgets/status/",
        "/api/recurring/",
        "/api/recurring/upcoming/",
        "/api/imports/",
        "/api/goals/",
        f"/api/goals/{goal}/contributions/",
        "/api/summary/",
        "/api/summary/?month=2026-11",
        "/api/summary/trends/",
        "/api/changes/",
        f"/api/incomes/{objects['income']['id']}/",
        f"/api/expenses/{objects['expense']['id']}/",
        f"/api/categories/{objects['category']['id']}/",
        f"/api/budgets/{objects['budget']['id']}/",
        f"/api/recurring/{objects['rule']['id']}/",
        f"/api/goals/{goal}/",
        f"/api/goals/{goal}/contributions/{objects['contribution']['id']}/",
        f"/api/imports/{objects['import']['id']}/",
    ]


@pytest.mark.django_db
def test_every_answer_about_your_data_has_an_etag_and_answers_304_unchanged(
    alice_client: APIClient, objects: dict[str, Any]
) -> None:
    for url in _urls(objects):
        first = alice_client.get(url)
        assert first.status_code == 200, (url, first.content)
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"'), url
        assert first["Cache-Control"] == "private, no-cache", url
        again = alice_client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b"", url
        assert again["ETag"] == etag, url
        # Counted like any other request, and it says so (the contract: every answer).
        remaining = int(again["RateLimit-Remaining"])
        assert remaining == int(first["RateLimit-Remaining"]) - 1, url
        # One of several tags, or a weak one, matches; `*` and another tag do not.
        assert alice_client.get(url, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304
        assert alice_client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 200
        assert alice_client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db
def test_any_write_changes_every_etag(alice_client: APIClient, objects: dict[str, Any]) -> None:
    urls = _urls(objects)
    before = {url: alice_client.get(url)["ETag"] for url in urls}
    _expense(alice_client, amount="1.00")
    for url in urls:
        if url == "/api/me/":
            continue
        response = alice_client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert response.status_code == 200, url
        assert response["ETag"] != before[url], url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/categories/{category}/", {"name": "Renamed"}),
        ("delete", "/api/goals/{goal}/contributions/{contribution}/", None),
        ("patch", "/api/recurring/{rule}/", {"active": False}),
        ("post", "/api/imports/{import}/commit/", None),
        ("patch", "/api/me/", {"currency": "EUR"}),
    ],
)
def test_writes_of_every_kind_change_the_summary_etag(
    alice_client: APIClient, objects: dict[str, Any], method: str, path: str, body: Any
) -> None:
    etag = alice_client.get("/api/summary/")["ETag"]
    ids = {name: value["id"] for name, value in objects.items()}
    response = getattr(alice_client, method)(path.format(**ids), body, format="json")
    assert response.status_code in (200, 204), response.content
    assert alice_client.get("/api/summary/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_the_etag_is_per_request_and_per_user(
    alice_client: APIClient, bob_client: APIClient, objects: dict[str, Any]
) -> None:
    month = alice_client.get("/api/summary/?month=2026-11")["ETag"]
    assert alice_client.get("/api/summary/?month=2026-10")["ETag"] != month
    assert (
        alice_client.get("/api/summary/?month=2026-10", HTTP_IF_NONE_MATCH=month).status_code == 200
    )
    bobs = bob_client.get("/api/summary/?month=2026-11", HTTP_IF_NONE_MATCH=month)
    assert bobs.status_code == 200


@pytest.mark.django_db
def test_a_new_utc_day_changes_the_etag(alice: User) -> None:
    with freeze_time(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)):
        client = client_for(alice)
        etag = client.get("/api/goals/")["ETag"]
        assert client.get("/api/goals/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with freeze_time(datetime(2026, 11, 30, 0, 1, tzinfo=UTC)):
        client = client_for(alice)
        assert client.get("/api/goals/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_the_etag_is_computed_after_due_occurrences_are_created(alice: User) -> None:
    with freeze_time(datetime(2026, 11, 29, 9, tzinfo=UTC)):
        alice_client = client_for(alice)
        rule = {
            "kind": "expense",
            "amount": "5.00",
            "category": "Coffee",
            "frequency": "daily",
            "start_date": "2026-11-29",
        }
        _ok(alice_client.post("/api/recurring/", rule, format="json"), 201)
        listing = alice_client.get("/api/expenses/")
        assert listing.json()["count"] == 1
        etag = listing["ETag"]
    with freeze_time(datetime(2026, 11, 30, 9, tzinfo=UTC)):
        alice_client = client_for(alice)
        # Yesterday's ETag, as a client sends it the next morning: today's occurrence shows.
        response = alice_client.get("/api/expenses/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response.json()["count"] == 2
        again = alice_client.get("/api/expenses/", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


@pytest.mark.django_db
def test_a_304_runs_no_aggregate(alice_client: APIClient, objects: dict[str, Any]) -> None:
    etag = alice_client.get("/api/summary/trends/")["ETag"]
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get("/api/summary/trends/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    # Only the authentication's user row.
    assert len(captured) == 1, [q["sql"] for q in captured]


@pytest.mark.django_db
def test_other_answers_to_a_signed_in_user_are_no_store(
    alice_client: APIClient, objects: dict[str, Any]
) -> None:
    created = alice_client.post(
        "/api/expenses/", {"amount": "1.00", "category": "Food"}, format="json"
    )
    assert created.status_code == 201
    assert created["Cache-Control"] == "private, no-store"
    assert "ETag" not in created
    missing = alice_client.get("/api/expenses/999999999/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "private, no-store"
    assert "ETag" not in missing
    bad = alice_client.get("/api/expenses/?page_size=abc")
    assert bad.status_code == 400
    assert bad["Cache-Control"] == "private, no-store"
    deleted = alice_client.delete(f"/api/expenses/{objects['expense']['id']}/")
    assert deleted.status_code == 204
    assert deleted["Cache-Control"] == "private, no-store"
    # No view at that address: Django's 404, rewritten as a problem, keeps the header.
    nowhere = alice_client.get("/api/expenses", HTTP_AUTHORIZATION="Bearer anything")
    assert nowhere.status_code == 404
    assert nowhere["Content-Type"] == "application/problem+json"
    assert nowhere["Cache-Control"] == "private, no-store"
    # A 401 to a request with credentials (a sign-in gone wrong) too.
    refused = alice_client.post("/api/token/", {"username": "alice", "password": "wrong"})
    assert refused.status_code == 401
    assert refused["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["/api/budgets/?page=-5&page_size=-1", "/api/summary/trends/?months=1.5&end=x"]
)
def test_a_bad_query_is_400_whatever_if_none_match_says(
    alice_client: APIClient, query: str
) -> None:
    # schemathesis found `If-None-Match: *` answered 304 to a request that is a 400.
    for header in ("*", alice_client.get("/api/budgets/")["ETag"]):
        response = alice_client.get(query, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 400, (query, header)


@pytest.mark.django_db
def test_if_none_match_never_turns_a_write_into_a_304(alice_client: APIClient) -> None:
    response = alice_client.post(
        "/api/expenses/",
        {"amount": "1.00", "category": "Food"},
        format="json",
        HTTP_IF_NONE_MATCH="*",
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_anonymous_answers_carry_no_etag(anon_client: APIClient) -> None:
    assert "ETag" not in anon_client.get("/api/")
    unauthorized = anon_client.get("/api/expenses/", HTTP_IF_NONE_MATCH="*")
    assert unauthorized.status_code == 401
    assert "ETag" not in unauthorized


@pytest.mark.django_db
def test_a_personal_access_tokens_use_never_changes_the_etag(alice: User) -> None:
    with freeze_time(datetime(2026, 11, 29, 9, tzinfo=UTC)):
        created = client_for(alice).post(
            "/api/tokens/", {"name": "script", "scope": "read"}, format="json"
        )
        assert created.status_code == 201, created.content
        script = APIClient()
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
        first = script.get("/api/summary/")
        assert first.status_code == 200
    # Two minutes later: this use writes last_used_at again, and the answer is still a 304.
    with freeze_time(datetime(2026, 11, 29, 9, 2, tzinfo=UTC)):
        again = script.get("/api/summary/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        token = client_for(alice).get("/api/tokens/").json()["results"][0]
        assert token["last_used_at"].startswith("2026-11-29T09:02")
        refused = script.post("/api/expenses/", {"amount": "1.00"}, format="json")
        assert refused.status_code == 403
        assert refused["Cache-Control"] == "private, no-store"
