"""GET and PATCH /api/me/, POST /api/me/delete/."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from fintrack.accounts.api.serializers import ProfileSerializer, profile_representation
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


@pytest.mark.django_db
def test_me_runs_one_query_the_users_own(alice, alice_client, django_assert_num_queries):
    """The fixed cost of an authenticated request: the user row (its token generation and
    recurring due date checked on it), nothing else; no health check query either."""
    alice_client.get(ME_URL)  # the user's first request may create due recurring records

    with django_assert_num_queries(1) as captured:
        response = alice_client.get(ME_URL)

    assert response.status_code == 200
    assert '"accounts_user"' in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "joined",
    [
        datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC),
    ],
)
def test_the_profile_shape_is_the_serializers(alice, joined):
    """GET /api/me/ formats the profile by hand (profile_representation); PATCH and the
    schema use ProfileSerializer: both must say the very same thing."""
    alice.date_joined = joined
    alice.currency = "JPY"

    assert profile_representation(alice) == ProfileSerializer(alice).data


@pytest.mark.django_db
def test_me_of_a_deactivated_user_is_401(alice, alice_client):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert_unauthorized(alice_client.get(ME_URL))


@pytest.mark.django_db
def test_me_of_a_deleted_user_is_401(alice, alice_client):
    User.objects.filter(pk=alice.pk).delete()

    assert_unauthorized(alice_client.get(ME_URL))


@pytest.mark.django_db
def test_me_sees_a_change_made_after_the_previous_request(alice, alice_client):
    """The user row is read on every request, never kept from an earlier one."""
    alice_client.get(ME_URL)
    User.objects.filter(pk=alice.pk).update(currency="EUR")

    assert alice_client.get(ME_URL).json()["currency"] == "EUR"


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
            "/api/expenses/",
            {"amount": "12.50", "category": "Food", "tags": ["trip"]},
            HTTP_IDEMPOTENCY_KEY="k1",
        ).status_code
        == 201
    )
    assert client.post("/api/tags/", {"name": "unused"}).status_code == 201
    budget = {"category": "Food", "amount": "300.00", "start_month": "2026-01"}
    assert client.post("/api/budgets/", budget).status_code == 201
    assert client.post("/api/categories/", {"name": "Unused", "kind": "expense"}).status_code == 201
    goal = client.post("/api/goals/", {"name": "Laptop", "target_amount": "900.00"}).json()
    contribution = client.post(f"/api/goals/{goal['id']}/contributions/", {"amount": "50.00"})
    assert contribution.status_code == 201
    csv_file = "date,amount,description\n2026-11-03,-4.20,Coffee\n"
    upload = client.generic("POST", "/api/imports/", csv_file, content_type="text/csv")
    assert upload.status_code == 201
    assert client.get("/api/export/").status_code == 200  # uses the export quota


def _rows_of(user_id: int) -> dict[str, int]:
    from fintrack.budgets.models import Budget
    from fintrack.goals.models import Contribution, Goal
    from fintrack.idempotency.models import IdempotencyRecord
    from fintrack.imports.models import Import
    from fintrack.ledger.models import Category, DailyTotal, Entry, EntryTag, Tag
    from fintrack.quotas.models import QuotaUse

    return {
        "entries": Entry.objects.filter(user_id=user_id).count(),
        "daily totals": DailyTotal.objects.filter(user_id=user_id).count(),
        "categories": Category.objects.filter(user_id=user_id).count(),
        "goals": Goal.objects.filter(user_id=user_id).count(),
        "contributions": Contribution.objects.filter(goal__user_id=user_id).count(),
        "idempotency keys": IdempotencyRecord.objects.filter(user_id=user_id).count(),
        "tags": Tag.objects.filter(user_id=user_id).count(),
        "tags on records": EntryTag.objects.filter(tag__user_id=user_id).count(),
        "budgets": Budget.objects.filter(user_id=user_id).count(),
        "imports": Import.objects.filter(user_id=user_id).count(),
        "quota uses": QuotaUse.objects.filter(user_id=user_id).count(),
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


# Changing the email is throttled at the sign-in rate (an "email taken" answer tells who has an
# account, so it must not come cheaper than a sign-in attempt).


@pytest.fixture
def auth_rate_3(settings) -> Iterator[None]:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "3/min",
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_email_changes_are_throttled_at_the_sign_in_rate(alice_client, bob, auth_rate_3):
    answers = [
        alice_client.patch(ME_URL, {"email": email}).status_code
        for email in ("a1@example.com", "bob@example.com", "a3@example.com")
    ]

    response = alice_client.patch(ME_URL, {"email": "a4@example.com"})

    assert answers == [200, 400, 200]
    body = assert_problem(response, 429)
    assert body["type"] == "urn:fintrack:problem:throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    assert User.objects.get(username="alice").email == "a3@example.com"


@pytest.mark.django_db
def test_the_email_change_limit_spares_other_changes_and_other_users(
    alice_client, bob_client, auth_rate_3
):
    for n in range(3):
        alice_client.patch(ME_URL, {"email": f"a{n}@example.com"})

    assert alice_client.patch(ME_URL, {"currency": "EUR"}).status_code == 200
    # Sending the current email again changes nothing, so it is not counted.
    assert alice_client.patch(ME_URL, {"email": "a2@example.com"}).status_code == 200
    assert bob_client.patch(ME_URL, {"email": "b1@example.com"}).status_code == 200
