"""/api/tokens/: personal access tokens, created, listed and revoked, and what a token may do
wherever it is sent (scopes, expiry, revocation, the account endpoints it may not use)."""

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from freezegun import freeze_time
from rest_framework.test import APIClient

from fintrack.accounts.models import User
from fintrack.core.errors import Invalid
from fintrack.ledger.models import Entry, Kind
from fintrack.tokens import services
from fintrack.tokens.models import PersonalAccessToken

from .assertions import assert_problem, assert_unauthorized
from .conftest import client_for
from .factories import DEFAULT_PASSWORD, CategoryFactory, EntryFactory, UserFactory
from .test_goal_concurrency import run_together

URL = "/api/tokens/"
LIST_KEYS = {"id", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at"}
NOW = "2026-11-14T09:30:00Z"
FORBIDDEN = "urn:fintrack:problem:forbidden"
INSUFFICIENT_SCOPE = "urn:fintrack:problem:insufficient-scope"
TOKEN_NOT_VALID = "urn:fintrack:problem:token-not-valid"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _create(user: User, *, scope: str = "read_write", days: int | None = 90) -> str:
    """A token of the user, made by the service; its secret."""
    return services.personal_access_token_create(
        user=user, name="script", scope=scope, expires_in_days=days
    ).secret


def _one(secret: str) -> PersonalAccessToken:
    return PersonalAccessToken.objects.get(digest=hashlib.sha256(secret.encode()).hexdigest())


@pytest.fixture
def expense(alice: User) -> Entry:
    food = CategoryFactory.create(user=alice, kind=Kind.EXPENSE, name="Food")
    return EntryFactory.create(
        user=alice, kind=Kind.EXPENSE, category=food, amount=Decimal("12.50")
    )


# Create


@freeze_time(NOW)
def test_create_answers_the_token_once_with_its_list_fields(alice):
    alice_client = client_for(alice)  # under the frozen clock, as the token's times
    response = alice_client.post(
        URL, {"name": "Budget sheet", "scope": "read", "expires_in_days": 30}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    secret = body.pop("token")
    row = PersonalAccessToken.objects.get()
    assert body == {
        "id": row.pk,
        "name": "Budget sheet",
        "scope": "read",
        "prefix": secret[:12],
        "created_at": "2026-11-14T09:30:00Z",
        "expires_at": "2026-12-14T09:30:00Z",
        "last_used_at": None,
    }
    assert secret.startswith("ftp_") and len(secret) == 47
    assert response["Cache-Control"] == "private, no-store"
    assert row.user == alice
    # The list never shows it again.
    listed = alice_client.get(URL).json()["results"]
    assert listed == [body]


def test_only_a_hash_of_the_token_is_stored(alice_client):
    secret = alice_client.post(URL, {"name": "ci", "scope": "read"}, format="json").json()["token"]

    row = PersonalAccessToken.objects.values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(value) for value in row.values())
    assert secret not in stored
    assert secret[4:] not in stored  # not even without its prefix
    assert row["prefix"] == secret[:12]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tokens_personalaccesstoken")
        assert all(secret[12:] not in str(value) for value in cursor.fetchone())


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("sent", "expires_at"),
    [
        ({}, "2027-02-12T09:30:00Z"),  # default: 90 days
        ({"expires_in_days": 1}, "2026-11-15T09:30:00Z"),
        ({"expires_in_days": 365}, "2027-11-14T09:30:00Z"),
        ({"expires_in_days": 7.0}, "2026-11-21T09:30:00Z"),
        ({"expires_in_days": None}, None),  # never
    ],
)
def test_expiry_is_chosen_in_days(alice, sent, expires_at):
    response = client_for(alice).post(URL, {"name": "n", "scope": "read", **sent}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["expires_at"] == expires_at


@pytest.mark.parametrize("days", [0, -1, 366, 10**9, "30", True, 1.5, [30], {"days": 3}])
def test_an_expiry_out_of_range_or_not_an_integer_is_400_naming_it(alice_client, days):
    response = alice_client.post(
        URL, {"name": "n", "scope": "read", "expires_in_days": days}, format="json"
    )

    assert_problem(response, 400, errors=["expires_in_days"])
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["name", "scope"]),
        ({"name": "n"}, ["scope"]),
        ({"scope": "read"}, ["name"]),
        ({"name": "n", "scope": "write"}, ["scope"]),
        ({"name": "n", "scope": "READ"}, ["scope"]),
        ({"name": "n", "scope": None}, ["scope"]),
        ({"name": "", "scope": "read"}, ["name"]),
        ({"name": 7, "scope": "read"}, ["name"]),
        ({"name": "x" * 101, "scope": "read"}, ["name"]),
    ],
)
def test_a_create_with_bad_fields_is_400_naming_them(alice_client, body, fields):
    response = alice_client.post(URL, body, format="json")

    assert_problem(response, 400, errors=fields)
    assert not PersonalAccessToken.objects.exists()


def test_at_most_20_tokens_expired_ones_included_revoked_ones_not(alice, alice_client):
    revoked = _create(alice)
    services.personal_access_token_revoke(token=_one(revoked))
    with freeze_time(timezone.now() - timedelta(days=30)):
        for _ in range(5):
            _create(alice, days=1)  # expired today
    for _ in range(15):
        _create(alice)

    refused = alice_client.post(URL, {"name": "21st", "scope": "read"}, format="json")

    problem = assert_problem(refused, 400, errors=["non_field_errors"])
    assert "20" in problem["errors"]["non_field_errors"][0]
    assert alice_client.get(URL).json()["count"] == 20
    # Deleting one (an expired one) frees a place.
    expired_id = PersonalAccessToken.objects.filter(expires_at__lt=timezone.now()).first().pk
    assert alice_client.delete(f"{URL}{expired_id}/").status_code == 204
    assert alice_client.post(URL, {"name": "20th", "scope": "read"}, format="json").status_code == (
        201
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: row locks between connections"
)
def test_concurrent_creates_never_pass_the_limit():
    user = UserFactory()
    for _ in range(17):
        _create(user)

    results = run_together([lambda: _create(user) for _ in range(6)])

    assert sum(isinstance(result, str) for result in results) == 3
    assert all(isinstance(r, Invalid) for r in results if not isinstance(r, str))
    assert PersonalAccessToken.objects.filter(user=user).count() == 20


def test_the_limit_is_per_user(alice, bob_client):
    for _ in range(20):
        _create(alice)

    assert bob_client.post(URL, {"name": "mine", "scope": "read"}, format="json").status_code == 201


def test_an_idempotency_key_is_ignored_each_post_makes_a_new_token(alice_client):
    body = {"name": "retry", "scope": "read"}
    first = alice_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    second = alice_client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["token"] != second.json()["token"]
    assert PersonalAccessToken.objects.count() == 2


# List and revoke


def test_the_list_holds_the_callers_live_tokens_newest_first(alice, bob, alice_client):
    with freeze_time("2026-01-01"):
        old = _one(_create(alice, days=1))  # long expired: still listed
    new = _one(_create(alice, scope="read", days=None))
    gone = _one(_create(alice))
    services.personal_access_token_revoke(token=gone)
    _create(bob)

    body = alice_client.get(URL).json()

    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [new.pk, old.pk]
    assert all(set(item) == LIST_KEYS for item in body["results"])


def test_the_list_queries_do_not_grow_with_tokens(
    alice, alice_client, django_assert_max_num_queries
):
    for _ in range(15):
        _create(alice)

    with django_assert_max_num_queries(4):
        assert alice_client.get(URL).json()["count"] == 15


def test_revoking_a_token_stops_it_at_once_and_takes_it_off_the_list(alice, alice_client):
    secret = _create(alice, scope="read")
    token = _token_client(secret)
    assert token.get("/api/expenses/").status_code == 200

    response = alice_client.delete(f"{URL}{_one(secret).pk}/")

    assert response.status_code == 204
    problem = assert_unauthorized(token.get("/api/expenses/"))
    assert problem["type"] == TOKEN_NOT_VALID
    assert "revoked" in problem["detail"]
    assert alice_client.get(URL).json()["count"] == 0
    assert_problem(alice_client.delete(f"{URL}{_one(secret).pk}/"), 404)  # once only


def test_revoked_rows_are_cleared_a_month_later(alice):
    with freeze_time("2026-01-01"):
        secret = _create(alice, days=None)
        services.personal_access_token_revoke(token=_one(secret))
    with freeze_time("2026-01-30"):
        _create(alice)
        assert "revoked" in _token_client(secret).get("/api/me/").json()["detail"]
    with freeze_time("2026-02-01"):
        _create(alice)
        assert "not valid" in _token_client(secret).get("/api/me/").json()["detail"]

    assert PersonalAccessToken.objects.filter(revoked_at__isnull=False).count() == 0


def test_bob_cannot_revoke_alices_token_404(alice, bob_client):
    secret = _create(alice)
    token_id = _one(secret).pk

    response = bob_client.delete(f"{URL}{token_id}/")
    missing = bob_client.delete(f"{URL}{10**9}/")

    assert_problem(response, 404)
    assert response.json() == missing.json()
    assert _token_client(secret).get("/api/me/").status_code == 200
    assert _one(secret).revoked_at is None


def test_tokens_answer_only_get_post_and_delete(alice, alice_client):
    token_id = _one(_create(alice)).pk

    assert_problem(alice_client.get(f"{URL}{token_id}/"), 405)
    assert_problem(alice_client.patch(f"{URL}{token_id}/", {"name": "x"}, format="json"), 405)


def test_the_endpoints_need_a_sign_in(anon_client):
    assert_unauthorized(anon_client.get(URL))
    assert_unauthorized(anon_client.post(URL, {"name": "n", "scope": "read"}, format="json"))


# Using a token


def test_a_token_authenticates_as_its_user_and_sees_only_their_data(alice, bob, expense):
    EntryFactory(user=bob, kind=Kind.EXPENSE, category=CategoryFactory(user=bob))
    token = _token_client(_create(alice, scope="read"))

    me = token.get("/api/me/")
    expenses = token.get("/api/expenses/")

    assert me.status_code == 200 and me.json()["username"] == "alice"
    assert [item["id"] for item in expenses.json()["results"]] == [expense.pk]
    assert_problem(_token_client(_create(bob)).get(f"/api/expenses/{expense.pk}/"), 404)


def test_a_read_write_token_writes(alice):
    token = _token_client(_create(alice, scope="read_write"))

    response = token.post("/api/expenses/", {"amount": "4.20", "category": "Coffee"}, format="json")

    assert response.status_code == 201, response.content
    assert Entry.objects.get().user == alice


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_token_reads(alice, expense, method):
    token = _token_client(_create(alice, scope="read"))

    assert getattr(token, method)("/api/expenses/").status_code == 200
    assert getattr(token, method)(f"/api/expenses/{expense.pk}/").status_code == 200
    assert getattr(token, method)("/api/summary/").status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/expenses/", {"amount": "1.00", "category": "Food"}),
        ("put", "/api/expenses/{id}/", {"amount": "1.00", "category": "Food"}),
        ("patch", "/api/expenses/{id}/", {"amount": "1.00"}),
        ("delete", "/api/expenses/{id}/", None),
        ("post", "/api/goals/", {"name": "Bike", "target_amount": "300.00"}),
        ("post", "/api/categories/", {"name": "Rent", "kind": "expense"}),
    ],
)
def test_a_read_token_may_not_write_403_insufficient_scope(alice, expense, method, url, body):
    token = _token_client(_create(alice, scope="read"))
    before = list(Entry.objects.values())

    response = getattr(token, method)(url.format(id=expense.pk), body, format="json")

    problem = assert_problem(response, 403)
    assert problem["type"] == INSUFFICIENT_SCOPE
    assert list(Entry.objects.values()) == before
    # Counted like any request of a signed-in user, and its answer says so.
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(response.headers)


def test_an_options_with_a_read_token_counts_once(alice, expense):
    """DRF's OPTIONS answer tries POST and PUT out on copies of the request; refused, those
    copies are not requests of their own."""
    token = _token_client(_create(alice, scope="read"))

    answers = [token.options("/api/expenses/") for _ in range(2)]

    assert [a.status_code for a in answers] == [200, 200]
    remaining = [int(a["RateLimit-Remaining"]) for a in answers]
    assert remaining[0] - remaining[1] == 1


ACCOUNT_ENDPOINTS = [
    ("get", URL, None),
    ("post", URL, {"name": "another", "scope": "read_write"}),
    ("delete", URL + "{token}/", None),
    ("patch", "/api/me/", {"email": "mallory@example.com"}),
    (
        "post",
        "/api/me/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password": "x-Y-z-123456"},
    ),
    ("post", "/api/me/delete/", {"password": DEFAULT_PASSWORD}),
    ("post", "/api/logout/", {"refresh": "anything"}),
]


@pytest.mark.parametrize("scope", ["read", "read_write"])
@pytest.mark.parametrize(("method", "url", "body"), ACCOUNT_ENDPOINTS)
def test_no_token_may_use_the_account_endpoints_403_forbidden(alice, scope, method, url, body):
    secret = _create(alice, scope=scope)
    token = _token_client(secret)

    response = getattr(token, method)(url.format(token=_one(secret).pk), body, format="json")

    problem = assert_problem(response, 403)
    assert problem["type"] == FORBIDDEN
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(response.headers)
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert alice.check_password(DEFAULT_PASSWORD)
    assert PersonalAccessToken.objects.filter(revoked_at=None).count() == 1


def test_a_token_may_read_the_profile_but_not_change_it(alice):
    token = _token_client(_create(alice, scope="read_write"))

    assert token.get("/api/me/").status_code == 200
    assert_problem(token.patch("/api/me/", {"currency": "EUR"}, format="json"), 403)


@freeze_time(NOW)
def test_an_expired_token_is_401_saying_so(alice):
    secret = _create(alice, days=1)
    token = _token_client(secret)

    with freeze_time("2026-11-15T09:29:59Z"):
        assert token.get("/api/me/").status_code == 200
    with freeze_time("2026-11-15T09:30:00Z"):
        problem = assert_unauthorized(token.get("/api/me/"))

    assert problem["type"] == TOKEN_NOT_VALID
    assert "expired" in problem["detail"]


def test_a_token_without_expiry_keeps_working(alice):
    token = _token_client(_create(alice, days=None))

    with freeze_time(timezone.now() + timedelta(days=3650)):
        assert token.get("/api/me/").status_code == 200


@pytest.mark.parametrize(
    "secret",
    [
        "ftp_" + "A" * 43,  # the shape of one, but no such token
        "ftp_short",
        "ftp_" + "é" * 43,
        "ftp_",
    ],
)
def test_an_unknown_token_is_401(db, secret):
    response = _token_client(secret).get("/api/me/")

    problem = assert_unauthorized(response)
    assert problem["type"] == TOKEN_NOT_VALID
    assert "not valid" in problem["detail"]


def test_the_401_challenge_is_the_same_for_jwts_and_tokens(db, anon_client):
    without = anon_client.get("/api/me/")
    bad_jwt = _token_client("not.a.token").get("/api/me/")
    bad_token = _token_client("ftp_" + "A" * 43).get("/api/me/")

    assert without["WWW-Authenticate"] == bad_jwt["WWW-Authenticate"] == 'Bearer realm="api"'
    assert bad_token["WWW-Authenticate"] == 'Bearer realm="api"'
    assert bad_jwt.json()["type"] == TOKEN_NOT_VALID


def test_access_tokens_still_work_beside_personal_access_tokens(alice, alice_client):
    _create(alice)

    assert alice_client.get("/api/me/").status_code == 200
    assert alice_client.post("/api/expenses/", {"amount": "1.00"}, format="json").status_code == (
        201
    )


def test_an_inactive_users_token_is_401(alice):
    token = _token_client(_create(alice))
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert_unauthorized(token.get("/api/me/"))


# Conditional GET of the list


def test_the_list_has_an_etag_that_changes_with_token_creation_and_revocation(alice):
    """The list's ETag covers what no change counter follows: a token created or revoked. Not
    a token's use: `last_used_at` never changes an ETag (the contract)."""
    with freeze_time("2026-11-14T09:30:00Z"):
        client = client_for(alice)  # its access token lives 15 minutes: the whole test
        secret = _create(alice)
        listed = client.get(URL)
        assert listed["Cache-Control"] == "private, no-cache"
        etag = listed["ETag"]
        assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304

    def fresh(at: str) -> str:
        with freeze_time(at):
            answer = client.get(URL, HTTP_IF_NONE_MATCH=etag)
        assert answer.status_code == 200, answer.status_code
        assert answer["ETag"] != etag
        return answer["ETag"]

    with freeze_time("2026-11-14T09:31:00Z"):
        _token_client(secret).get("/api/me/")  # writes last_used_at
    assert _one(secret).last_used_at is not None
    with freeze_time("2026-11-14T09:31:30Z"):
        assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with freeze_time("2026-11-14T09:32:00Z"):
        other = _create(alice)
    etag = fresh("2026-11-14T09:32:30Z")
    with freeze_time("2026-11-14T09:33:00Z"):
        assert client.delete(f"{URL}{_one(other).pk}/").status_code == 204
    etag = fresh("2026-11-14T09:33:30Z")
    with freeze_time("2026-11-14T09:34:00Z"):
        assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


# last_used_at


def _token_updates(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "tokens_personalaccesstoken" in q["sql"]
    ]


def test_last_used_at_is_written_at_most_once_a_minute(alice):
    with freeze_time("2026-11-14T09:30:00Z"):
        secret = _create(alice)
    token = _token_client(secret)

    with freeze_time("2026-11-14T09:31:00Z"), CaptureQueriesContext(connection) as first:
        token.get("/api/me/")
    assert _one(secret).last_used_at.isoformat() == "2026-11-14T09:31:00+00:00"
    assert len(_token_updates(first)) == 1

    with freeze_time("2026-11-14T09:31:59Z"), CaptureQueriesContext(connection) as soon:
        token.get("/api/me/")
    assert _one(secret).last_used_at.isoformat() == "2026-11-14T09:31:00+00:00"
    assert _token_updates(soon) == []  # nothing written at all

    with freeze_time("2026-11-14T09:32:01Z"):
        token.get("/api/me/")
    assert _one(secret).last_used_at.isoformat() == "2026-11-14T09:32:01+00:00"


def test_the_stamp_is_one_conditional_update(alice):
    """Two requests that loaded the token before either stamped it write it once: the UPDATE
    itself checks the minute, not the row read before it."""
    with freeze_time("2026-11-14T09:30:00Z"):
        token = _one(_create(alice))
        stale = _one(_create(alice))
    stale.pk = token.pk  # a copy of the row, as a concurrent request read it

    with freeze_time("2026-11-14T09:31:00Z"):
        services.personal_access_token_touch(token=token, now=timezone.now())
    with freeze_time("2026-11-14T09:31:30Z"):
        services.personal_access_token_touch(token=stale, now=timezone.now())

    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-11-14T09:31:00+00:00"


def test_the_list_shows_the_last_use(alice, alice_client):
    with freeze_time("2026-11-14T09:30:00Z"):
        secret = _create(alice)
    with freeze_time("2026-11-20T07:02:41Z"):
        _token_client(secret).get("/api/expenses/")

    (item,) = alice_client.get(URL).json()["results"]
    assert item["last_used_at"] == "2026-11-20T07:02:41Z"


# Password change, password reset, account deletion


def test_a_password_change_revokes_no_token(alice, alice_client):
    token = _token_client(_create(alice))

    changed = alice_client.post(
        "/api/me/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password": "battery-staple-42-x"},
        format="json",
    )

    assert changed.status_code == 204
    assert token.get("/api/me/").status_code == 200


def test_a_password_reset_revokes_every_token(alice, bob, anon_client):
    alices = [_token_client(_create(alice, scope=scope)) for scope in ("read", "read_write")]
    bobs = _token_client(_create(bob))
    code = {
        "uid": urlsafe_base64_encode(force_bytes(alice.pk)),
        "token": default_token_generator.make_token(alice),
        "new_password": "marmalade-orbit-canyon-31",
    }

    response = anon_client.post("/api/password-reset/confirm/", code, format="json")

    assert response.status_code == 204, response.content
    for token in alices:
        problem = assert_unauthorized(token.get("/api/me/"))
        assert "revoked" in problem["detail"]
    assert bobs.get("/api/me/").status_code == 200
    # They leave the list and the count.
    signed_in = APIClient()
    signed_in.force_authenticate(alice)
    assert signed_in.get(URL).json()["count"] == 0


def test_deleting_the_account_deletes_its_tokens(alice, bob, alice_client):
    token = _token_client(_create(alice))
    _create(bob)

    response = alice_client.post("/api/me/delete/", {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204
    assert PersonalAccessToken.objects.filter(user_id=alice.pk).count() == 0
    assert PersonalAccessToken.objects.count() == 1
    assert_unauthorized(token.get("/api/me/"))


# The schema


@pytest.fixture
def schema(anon_client: APIClient) -> dict[str, Any]:
    return anon_client.get("/api/schema/?format=json").json()


@pytest.mark.django_db
def test_the_schema_has_both_bearer_schemes(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jwtAuth"]["scheme"] == "bearer"
    assert schemes["personalAccessToken"]["type"] == "http"
    assert schemes["personalAccessToken"]["scheme"] == "bearer"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/tokens/", "get"),
        ("/api/tokens/", "post"),
        ("/api/tokens/{id}/", "delete"),
        ("/api/me/", "patch"),
        ("/api/me/password/", "post"),
        ("/api/me/delete/", "post"),
        ("/api/logout/", "post"),
    ],
)
def test_the_schema_offers_no_token_on_the_account_endpoints(schema, path, method):
    operation = schema["paths"][path][method]

    assert operation["security"] == [{"jwtAuth": []}]
    example = operation["responses"]["403"]["content"]["application/problem+json"]["example"]
    assert example["type"] == FORBIDDEN


@pytest.mark.django_db
def test_the_schema_offers_tokens_elsewhere_and_documents_the_scope_403(schema):
    listing = schema["paths"]["/api/expenses/"]["get"]
    creating = schema["paths"]["/api/expenses/"]["post"]

    assert {"personalAccessToken": []} in listing["security"]
    assert {"jwtAuth": []} in listing["security"]
    assert "403" not in listing["responses"]
    example = creating["responses"]["403"]["content"]["application/problem+json"]["example"]
    assert example["type"] == INSUFFICIENT_SCOPE
    assert {"personalAccessToken": []} in schema["paths"]["/api/me/"]["get"]["security"]


@pytest.mark.django_db
def test_the_schema_says_a_create_takes_no_idempotency_key(schema):
    operation = schema["paths"]["/api/tokens/"]["post"]

    assert all(p["name"] != "Idempotency-Key" for p in operation.get("parameters", []))
    assert "Idempotency-Key" in operation["description"]
    assert set(operation["responses"]["201"]["content"]["application/json"]["schema"]) == {"$ref"}


@pytest.mark.parametrize("raw", ["1e5000", "-0.0", "30.5", "1E+2", "NaN", "Infinity"])
def test_an_expiry_written_as_an_odd_number_is_read_exactly(alice_client, raw):
    body = '{"name": "n", "scope": "read", "expires_in_days": ' + raw + "}"

    response = alice_client.post(URL, body, content_type="application/json")

    if raw == "1E+2":  # 100, written otherwise
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400, response.content
        assert set(response.json().get("errors", {})) <= {"expires_in_days"}
