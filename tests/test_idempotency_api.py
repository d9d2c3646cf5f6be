"""Idempotency-Key on every create: replay, mismatch, expiry, scoping, and the race."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from fintrack.accounts.models import User
from fintrack.goals.models import Contribution, Goal
from fintrack.idempotency.models import IdempotencyRecord
from fintrack.idempotency.services import purge_expired_records
from fintrack.ledger.models import Category, Entry

from .assertions import assert_problem
from .conftest import client_for
from .factories import DEFAULT_PASSWORD, GoalFactory

pytestmark = pytest.mark.django_db


def _count(model: type[Model]) -> int:
    return model._default_manager.count()


# Each create endpoint of the contract, the body it takes, and the table it writes.
CREATES = [
    ("/api/incomes/", {"amount": "2500.00", "category": "Salary"}, Entry),
    ("/api/expenses/", {"amount": "12.50", "description": "lunch"}, Entry),
    ("/api/categories/", {"name": "Books", "kind": "expense"}, Category),
    ("/api/goals/", {"name": "Laptop", "target_amount": "1500.00"}, Goal),
    ("contributions", {"amount": "100.00"}, Contribution),
]


def _path(path: str, alice: User) -> str:
    if path == "contributions":
        return f"/api/goals/{GoalFactory.create(user=alice).pk}/contributions/"
    return path


@pytest.mark.parametrize(("path", "body", "model"), CREATES)
def test_the_same_key_and_body_replays_the_first_answer_and_creates_nothing(
    alice, alice_client, path, body, model
):
    url = _path(path, alice)
    before = _count(model)

    first = alice_client.post(url, body, HTTP_IDEMPOTENCY_KEY="key-1")
    second = alice_client.post(url, body, HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert _count(model) == before + 1


@pytest.mark.parametrize(("path", "body", "model"), CREATES)
def test_the_same_key_with_another_body_is_422_and_creates_nothing(
    alice, alice_client, path, body, model
):
    url = _path(path, alice)
    alice_client.post(url, body, HTTP_IDEMPOTENCY_KEY="key-1")
    after_first = _count(model)
    other_body = {**body, "amount": "7.77"} if "amount" in body else {**body, "name": "Other"}

    response = alice_client.post(url, other_body, HTTP_IDEMPOTENCY_KEY="key-1")

    problem = assert_problem(response, 422)
    assert problem["type"] == "urn:fintrack:problem:idempotency-key-reused"
    assert _count(model) == after_first


def test_without_a_key_every_post_creates(alice_client):
    for _ in range(2):
        assert alice_client.post("/api/expenses/", {"amount": "1.00"}).status_code == 201

    assert Entry.objects.count() == 2


def test_the_same_body_in_another_key_order_is_the_same_request(alice_client):
    first = alice_client.post(
        "/api/expenses/", {"amount": "3.00", "category": "Food"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    second = alice_client.post(
        "/api/expenses/", {"category": "Food", "amount": "3.00"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert second.json() == first.json()
    assert Entry.objects.count() == 1


def test_one_key_on_two_endpoints_is_a_different_request(alice_client):
    alice_client.post("/api/expenses/", {"amount": "3.00"}, HTTP_IDEMPOTENCY_KEY="k")

    response = alice_client.post("/api/incomes/", {"amount": "3.00"}, HTTP_IDEMPOTENCY_KEY="k")

    assert_problem(response, 422)
    assert Entry.objects.count() == 1


def test_keys_of_different_users_never_collide(alice_client, bob_client, alice, bob):
    alice_answer = alice_client.post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="k")
    bob_answer = bob_client.post("/api/expenses/", {"amount": "2.00"}, HTTP_IDEMPOTENCY_KEY="k")

    assert alice_answer.status_code == bob_answer.status_code == 201
    assert bob_answer.json()["amount"] == "2.00"
    assert Entry.objects.for_user(alice).count() == 1
    assert Entry.objects.for_user(bob).count() == 1


def test_a_key_expires_after_24_hours(alice):
    start = timezone.now()

    def post_at(moment):
        with freeze_time(moment):
            return client_for(alice).post(
                "/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="k"
            )

    first = post_at(start)
    replay = post_at(start + timedelta(hours=23, minutes=59))
    fresh = post_at(start + timedelta(hours=24, minutes=1))

    assert replay.json()["id"] == first.json()["id"]
    assert fresh.status_code == 201
    assert fresh.json()["id"] != first.json()["id"]
    assert "Idempotent-Replayed" not in fresh
    assert Entry.objects.count() == 2


def test_expired_records_are_purged(alice):
    start = timezone.now()
    with freeze_time(start):
        client_for(alice).post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="old")
    with freeze_time(start + timedelta(hours=20)):
        client_for(alice).post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="new")

    with freeze_time(start + timedelta(hours=24, minutes=1)):
        purged = purge_expired_records()

    assert purged == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_an_error_answer_is_not_stored_so_the_fixed_body_can_retry_with_the_key(alice_client):
    bad = alice_client.post("/api/expenses/", {"amount": "-1.00"}, HTTP_IDEMPOTENCY_KEY="k")
    good = alice_client.post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="k")

    assert_problem(bad, 400, errors=["amount"])
    assert good.status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_a_strangers_goal_is_404_with_a_key_and_stores_nothing(alice, bob_client):
    goal = GoalFactory(user=alice)

    response = bob_client.post(
        f"/api/goals/{goal.pk}/contributions/", {"amount": "5.00"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert_problem(response, 404)
    assert IdempotencyRecord.objects.count() == 0
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there", "new\nline"])
def test_a_malformed_key_is_400_naming_the_header(alice_client, key):
    response = alice_client.post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY=key)

    assert_problem(response, 400, errors=["Idempotency-Key"])
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("key", ["a", "x" * 255, "~!@#$%^&*() with spaces"])
def test_keys_of_1_to_255_printable_ascii_characters_are_accepted(alice_client, key):
    response = alice_client.post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 201


def test_deleting_the_account_deletes_its_keys(alice, alice_client):
    alice_client.post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="k")

    response = alice_client.post("/api/me/delete/", {"password": DEFAULT_PASSWORD})

    assert response.status_code == 204, response.content
    assert IdempotencyRecord.objects.count() == 0


def test_the_schema_documents_the_header_and_the_422_on_every_create(anon_client):
    schema = anon_client.get("/api/schema/?format=json").json()
    creates = [
        ("/api/incomes/", "post"),
        ("/api/expenses/", "post"),
        ("/api/categories/", "post"),
        ("/api/goals/", "post"),
        ("/api/goals/{goal_pk}/contributions/", "post"),
    ]
    for path, method in creates:
        operation = schema["paths"][path][method]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert "422" in operation["responses"], path


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_record(alice: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs real concurrent transactions (PostgreSQL)")
    barrier = threading.Barrier(6)
    answers: list[tuple[int, dict]] = []

    def post() -> None:
        client: APIClient = client_for(alice)
        barrier.wait()
        try:
            response = client.post(
                "/api/expenses/", {"amount": "9.99"}, HTTP_IDEMPOTENCY_KEY="race"
            )
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Entry.objects.count() == 1
    assert [status for status, _ in answers] == [201] * 6
    assert {body["id"] for _, body in answers} == {Entry.objects.get().pk}
    assert Entry.objects.get().amount == Decimal("9.99")


def test_the_purge_command_deletes_only_expired_records(alice):
    from io import StringIO

    from django.core.management import call_command

    start = timezone.now()
    with freeze_time(start):
        client_for(alice).post("/api/expenses/", {"amount": "1.00"}, HTTP_IDEMPOTENCY_KEY="old")
    with freeze_time(start + timedelta(hours=23)):
        client_for(alice).post("/api/expenses/", {"amount": "2.00"}, HTTP_IDEMPOTENCY_KEY="new")
        out = StringIO()
        call_command("purge_idempotency_keys", stdout=out)
    with freeze_time(start + timedelta(hours=24, minutes=1)):
        call_command("purge_idempotency_keys", stdout=out)

    assert "Purged 0 expired" in out.getvalue()
    assert "Purged 1 expired" in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
