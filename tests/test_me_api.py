"""GET and PATCH /api/me/, POST /api/me/delete/."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from fintrack.accounts.models import User

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD

ME_URL = "/api/me/"
DELETE_URL = "/api/me/delete/"


def _alice_profile(alice: User, **changes: object) -> dict[str, object]:
    return {
        "id": alice.pk,
        "username": "alice",
        "email": "alice@example.com",
        "currency": "USD",
        "date_joined": "2026-01-15T09:30:00Z",
        **changes,
    }


@pytest.fixture
def alice(alice: User) -> User:
    """Alice, with a known sign-up time so that whole profiles can be compared."""
    alice.date_joined = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    alice.save(update_fields=["date_joined"])
    return alice


# GET /api/me/


@pytest.mark.django_db
def test_me_answers_the_callers_profile(alice, alice_client):
    response = alice_client.get(ME_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == _alice_profile(alice)


@pytest.mark.django_db
def test_me_answers_bob_his_own_profile(alice, bob, bob_client):
    response = bob_client.get(ME_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == bob.pk
    assert body["username"] == "bob"
    assert body["email"] == "bob@example.com"


@pytest.mark.django_db
def test_me_without_a_token_is_401(anon_client):
    assert_unauthorized(anon_client.get(ME_URL))


# PATCH /api/me/


@pytest.mark.django_db
def test_patch_me_changes_the_email(alice, alice_client):
    response = alice_client.patch(ME_URL, {"email": "alice.smith@example.org"})

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice, email="alice.smith@example.org")
    alice.refresh_from_db()
    assert alice.email == "alice.smith@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize(("sent", "stored"), [("EUR", "EUR"), ("eur", "EUR"), ("jPy", "JPY")])
def test_patch_me_changes_the_currency_stored_upper_case(alice, alice_client, sent, stored):
    response = alice_client.patch(ME_URL, {"currency": sent})

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice, currency=stored)
    alice.refresh_from_db()
    assert alice.currency == stored


@pytest.mark.django_db
def test_patch_me_changes_both_at_once(alice, alice_client):
    response = alice_client.patch(ME_URL, {"email": "a@example.net", "currency": "gbp"})

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice, email="a@example.net", currency="GBP")


@pytest.mark.django_db
def test_patch_me_with_nothing_changes_nothing(alice, alice_client):
    response = alice_client.patch(ME_URL, {})

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice)


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["XYZ", "US", "EURO", "", "123", "€€€", None])
def test_patch_me_with_an_invalid_currency_is_400(alice, alice_client, currency):
    response = alice_client.patch(ME_URL, {"currency": currency})

    assert_problem(response, 400, errors=["currency"])
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["bob@example.com", "BOB@EXAMPLE.COM", "Bob@example.com"])
def test_patch_me_with_bobs_email_in_any_case_is_400(alice, bob, alice_client, email):
    response = alice_client.patch(ME_URL, {"email": email})

    body = assert_problem(response, 400, errors=["email"])
    assert body["errors"]["email"] == ["This email is already taken."]
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["not-an-email", "alice@", "", None])
def test_patch_me_with_a_malformed_email_is_400(alice, alice_client, email):
    response = alice_client.patch(ME_URL, {"email": email})

    assert_problem(response, 400, errors=["email"])
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


@pytest.mark.django_db
def test_patch_me_ignores_unknown_fields(alice, alice_client):
    response = alice_client.patch(ME_URL, {"currency": "CHF", "favourite_colour": "green"})

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice, currency="CHF")


@pytest.mark.django_db
def test_patch_me_cannot_change_the_username_or_other_read_only_fields(alice, alice_client):
    response = alice_client.patch(
        ME_URL,
        {
            "username": "mallory",
            "id": alice.pk + 100,
            "date_joined": "2000-01-01T00:00:00Z",
            "is_staff": True,
            "password": "mallory-takes-over-99",
        },
    )

    assert response.status_code == 200
    assert response.json() == _alice_profile(alice)
    alice.refresh_from_db()
    assert alice.username == "alice"
    assert not alice.is_staff
    assert alice.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_patch_me_changes_only_the_caller(alice, bob, alice_client):
    alice_client.patch(ME_URL, {"currency": "EUR", "email": "alice2@example.com"})

    bob.refresh_from_db()
    assert bob.currency == "USD"
    assert bob.email == "bob@example.com"


@pytest.mark.django_db
def test_patch_me_without_a_token_is_401(alice, anon_client):
    response = anon_client.patch(ME_URL, {"currency": "EUR"})

    assert_unauthorized(response)
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "post", "delete"])
def test_me_with_another_method_is_405(alice_client, method):
    response = getattr(alice_client, method)(ME_URL, {"currency": "EUR"})

    assert_problem(response, 405)
    allowed = {name.strip() for name in response["Allow"].split(",")}
    assert {"GET", "PATCH"} <= allowed
    assert method.upper() not in allowed


# POST /api/me/delete/


@pytest.mark.django_db
def test_delete_me_removes_the_account(alice, anon_client):
    tokens = anon_client.post(
        "/api/token/", {"username": "alice", "password": DEFAULT_PASSWORD}
    ).json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 204
    assert response.content == b""
    assert not User.objects.filter(pk=alice.pk).exists()
    assert_unauthorized(client.get(ME_URL))
    assert_unauthorized(anon_client.post("/api/token/refresh/", {"refresh": tokens["refresh"]}))
    assert_unauthorized(
        anon_client.post("/api/token/", {"username": "alice", "password": DEFAULT_PASSWORD})
    )


def _record_everything(client: APIClient) -> None:
    """Every kind of record a user can own, written through the API."""
    assert (
        client.post("/api/incomes/", {"amount": "2500.00", "category": "Salary"}).status_code == 201
    )
    assert (
        client.post(
            "/api/expenses/", {"amount": "12.50", "category": "Food"}, HTTP_IDEMPOTENCY_KEY="k1"
        ).status_code
        == 201
    )
    assert client.post("/api/categories/", {"name": "Unused", "kind": "expense"}).status_code == 201
    goal = client.post("/api/goals/", {"name": "Laptop", "target_amount": "900.00"}).json()
    contribution = client.post(f"/api/goals/{goal['id']}/contributions/", {"amount": "50.00"})
    assert contribution.status_code == 201


def _rows_of(user_id: int) -> dict[str, int]:
    from fintrack.goals.models import Contribution, Goal
    from fintrack.idempotency.models import IdempotencyRecord
    from fintrack.ledger.models import Category, DailyTotal, Entry

    return {
        "entries": Entry.objects.filter(user_id=user_id).count(),
        "daily totals": DailyTotal.objects.filter(user_id=user_id).count(),
        "categories": Category.objects.filter(user_id=user_id).count(),
        "goals": Goal.objects.filter(user_id=user_id).count(),
        "contributions": Contribution.objects.filter(goal__user_id=user_id).count(),
        "idempotency keys": IdempotencyRecord.objects.filter(user_id=user_id).count(),
    }


@pytest.mark.django_db
def test_delete_me_deletes_every_record_of_the_account(alice, bob, alice_client, bob_client):
    _record_everything(alice_client)
    _record_everything(bob_client)
    bob_rows = _rows_of(bob.pk)

    response = alice_client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 204, response.content
    assert set(_rows_of(alice.pk).values()) == {0}
    assert _rows_of(bob.pk) == bob_rows
    assert all(bob_rows.values())


@pytest.mark.django_db
def test_deleted_username_and_email_can_register_again(alice, alice_client, anon_client):
    alice_client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    response = anon_client.post(
        "/api/register/",
        {"username": "Alice", "email": "ALICE@example.com", "password": "a-brand-new-start-77"},
    )

    assert response.status_code == 201
    assert response.json()["id"] != alice.pk
    assert User.objects.get().username == "Alice"


@pytest.mark.django_db
def test_delete_me_leaves_bob_alone(alice, bob, alice_client, bob_client):
    alice_client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert list(User.objects.values_list("username", flat=True)) == ["bob"]
    assert bob_client.get(ME_URL).json()["username"] == "bob"


@pytest.mark.django_db
def test_delete_me_with_a_wrong_password_is_400_and_keeps_the_account(alice, alice_client):
    response = alice_client.post(DELETE_URL, {"password": "not-my-password-1"})

    body = assert_problem(response, 400, errors=["password"])
    assert "not-my-password-1" not in response.content.decode()
    assert body["errors"]["password"] == ["The password is wrong."]
    assert User.objects.filter(pk=alice.pk).exists()
    assert alice_client.get(ME_URL).status_code == 200


@pytest.mark.django_db
def test_delete_me_with_bobs_password_is_400(alice, bob, alice_client):
    bob.set_password("bobs-own-secret-42")
    bob.save()

    response = alice_client.post(DELETE_URL, {"password": "bobs-own-secret-42"})

    assert_problem(response, 400, errors=["password"])
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_delete_me_without_a_password_is_400(alice, alice_client):
    response = alice_client.post(DELETE_URL, {})

    assert_problem(response, 400, errors=["password"])
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_delete_me_without_a_token_is_401(alice, anon_client):
    response = anon_client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert_unauthorized(response)
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "delete"])
def test_delete_me_answers_only_post(alice, alice_client, method):
    response = getattr(alice_client, method)(DELETE_URL)

    assert_problem(response, 405)
    assert User.objects.filter(pk=alice.pk).exists()
