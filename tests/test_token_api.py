"""POST /api/token/, POST /api/token/refresh/, and what GET /api/me/ makes of bad access tokens."""

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from fintrack.accounts.models import User

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD, UserFactory

TOKEN_URL = "/api/token/"
REFRESH_URL = "/api/token/refresh/"
ME_URL = "/api/me/"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _sign_in(client: APIClient, username: str, password: str = DEFAULT_PASSWORD) -> dict:
    response = client.post(TOKEN_URL, {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def _me(access: str) -> HttpResponse:
    return APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {access}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# POST /api/token/


@pytest.mark.django_db
def test_token_answers_an_access_and_a_refresh_token(anon_client, alice):
    response = anon_client.post(TOKEN_URL, {"username": "alice", "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    access, refresh = _claims(body["access"]), _claims(body["refresh"])
    assert access["token_type"] == "access"
    assert refresh["token_type"] == "refresh"
    assert str(access["user_id"]) == str(refresh["user_id"]) == str(alice.pk)
    assert _me(body["access"]).json()["username"] == "alice"


@pytest.mark.django_db
def test_token_lifetimes_are_15_minutes_and_7_days(anon_client, alice):
    with freeze_time(NOW):
        body = _sign_in(anon_client, "alice")

    assert _claims(body["access"])["exp"] == int((NOW + timedelta(minutes=15)).timestamp())
    assert _claims(body["refresh"])["exp"] == int((NOW + timedelta(days=7)).timestamp())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["ALICE", "Alice", "aLiCe"])
def test_token_matches_the_username_in_any_case(anon_client, alice, username):
    body = _sign_in(anon_client, username)

    assert _me(body["access"]).json()["username"] == "alice"


@pytest.mark.django_db
def test_token_for_a_wrong_password_or_an_unknown_user_is_the_same_401(anon_client, alice):
    wrong_password = anon_client.post(TOKEN_URL, {"username": "alice", "password": "not-it-1234"})
    unknown_user = anon_client.post(
        TOKEN_URL, {"username": "mallory", "password": DEFAULT_PASSWORD}
    )

    body = assert_unauthorized(wrong_password)
    assert_unauthorized(unknown_user)
    assert unknown_user.json() == body
    assert unknown_user["WWW-Authenticate"] == wrong_password["WWW-Authenticate"]
    assert "alice" not in wrong_password.content.decode()


@pytest.mark.django_db
def test_token_for_an_inactive_user_is_401(anon_client):
    UserFactory(username="dave", is_active=False)

    response = anon_client.post(TOKEN_URL, {"username": "dave", "password": DEFAULT_PASSWORD})

    assert_unauthorized(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "missing"),
    [
        ({}, ["username", "password"]),
        ({"username": "alice"}, ["password"]),
        ({"password": DEFAULT_PASSWORD}, ["username"]),
    ],
)
def test_token_without_credentials_is_400_naming_them(anon_client, alice, payload, missing):
    response = anon_client.post(TOKEN_URL, payload)

    body = assert_problem(response, 400, errors=missing)
    assert all(body["errors"][field] == ["This field is required."] for field in missing)


# POST /api/token/refresh/


@pytest.mark.django_db
def test_refresh_answers_a_new_pair(anon_client, alice):
    first = _sign_in(anon_client, "alice")

    response = anon_client.post(REFRESH_URL, {"refresh": first["refresh"]})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert body["refresh"] != first["refresh"]
    assert _claims(body["refresh"])["jti"] != _claims(first["refresh"])["jti"]
    assert _claims(body["access"])["token_type"] == "access"
    assert _me(body["access"]).json()["username"] == "alice"


@pytest.mark.django_db
def test_refresh_rotates_so_the_old_token_is_refused(anon_client, alice):
    first = _sign_in(anon_client, "alice")
    rotated = anon_client.post(REFRESH_URL, {"refresh": first["refresh"]}).json()

    reused = anon_client.post(REFRESH_URL, {"refresh": first["refresh"]})

    assert_unauthorized(reused)
    # The rotated token itself keeps working, and rotates in its turn.
    again = anon_client.post(REFRESH_URL, {"refresh": rotated["refresh"]})
    assert again.status_code == 200
    assert_unauthorized(anon_client.post(REFRESH_URL, {"refresh": rotated["refresh"]}))


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"])
def test_refresh_with_a_garbage_token_is_401(anon_client, token):
    response = anon_client.post(REFRESH_URL, {"refresh": token})

    assert_unauthorized(response)


@pytest.mark.django_db
def test_refresh_with_a_token_signed_by_another_key_is_401(anon_client, alice):
    genuine = str(RefreshToken.for_user(alice))
    forged = jwt.encode(_claims(genuine), "another-signing-key-" + "x" * 44, algorithm="HS256")

    response = anon_client.post(REFRESH_URL, {"refresh": forged})

    assert_unauthorized(response)


@pytest.mark.django_db
def test_refresh_with_an_access_token_is_401(anon_client, alice):
    body = _sign_in(anon_client, "alice")

    response = anon_client.post(REFRESH_URL, {"refresh": body["access"]})

    assert_unauthorized(response)


@pytest.mark.django_db
def test_refresh_token_expires_after_7_days(anon_client, alice):
    with freeze_time(NOW):
        early_session = _sign_in(anon_client, "alice")
        late_session = _sign_in(anon_client, "alice")

    with freeze_time(NOW + timedelta(days=6, hours=23)):
        still_valid = anon_client.post(REFRESH_URL, {"refresh": early_session["refresh"]})
    with freeze_time(NOW + timedelta(days=7, seconds=1)):
        expired = anon_client.post(REFRESH_URL, {"refresh": late_session["refresh"]})

    assert still_valid.status_code == 200
    assert_unauthorized(expired)


@pytest.mark.django_db
def test_refresh_token_of_a_deleted_user_is_401(anon_client, alice):
    body = _sign_in(anon_client, "alice")
    alice.delete()

    response = anon_client.post(REFRESH_URL, {"refresh": body["refresh"]})

    assert_unauthorized(response)


@pytest.mark.django_db
def test_refresh_token_of_a_deactivated_user_is_401(anon_client, alice):
    body = _sign_in(anon_client, "alice")
    alice.is_active = False
    alice.save()

    response = anon_client.post(REFRESH_URL, {"refresh": body["refresh"]})

    assert_unauthorized(response)


@pytest.mark.django_db
def test_refresh_without_a_token_is_400_naming_it(anon_client):
    response = anon_client.post(REFRESH_URL, {})

    assert_problem(response, 400, errors=["refresh"])


# Attacks on the access token, at GET /api/me/


@pytest.fixture
def alice_access(alice: User) -> str:
    return str(RefreshToken.for_user(alice).access_token)


@pytest.mark.django_db
def test_a_genuine_access_token_is_accepted(alice_access):
    response = _me(alice_access)

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


@pytest.mark.django_db
def test_access_token_with_a_tampered_payload_is_401(alice_access, bob):
    header, payload, signature = alice_access.split(".")
    claims = json.loads(_unb64(payload))
    claims["user_id"] = str(bob.pk) if isinstance(claims["user_id"], str) else bob.pk
    tampered = ".".join([header, _b64(json.dumps(claims).encode()), signature])

    response = _me(tampered)

    assert_unauthorized(response)
    assert "bob" not in response.content.decode()


@pytest.mark.django_db
def test_access_token_expires_after_15_minutes(alice):
    with freeze_time(NOW):
        access = str(RefreshToken.for_user(alice).access_token)

    with freeze_time(NOW + timedelta(minutes=14, seconds=59)):
        fresh = _me(access)
    with freeze_time(NOW + timedelta(minutes=15, seconds=1)):
        expired = _me(access)

    assert fresh.status_code == 200
    assert_unauthorized(expired)


@pytest.mark.django_db
def test_a_token_once_accepted_does_not_vouch_for_its_altered_copies(alice, bob):
    """The process remembers which tokens' signatures it verified (by their whole text): a
    copy with another signature, or with another payload under the same signature, is checked
    anew and refused."""
    access = str(RefreshToken.for_user(alice).access_token)
    assert _me(access).status_code == 200  # verified, remembered
    header, payload, signature = access.split(".")
    other_signature = _b64(b"\x00" * 32)
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    bobs_payload = _b64(json.dumps({**claims, "user_id": bob.pk}).encode())

    assert_unauthorized(_me(f"{header}.{payload}.{other_signature}"))
    assert_unauthorized(_me(f"{header}.{bobs_payload}.{signature}"))
    assert _me(access).json()["username"] == "alice"


@pytest.mark.django_db
def test_access_token_signed_with_another_key_is_401(alice_access):
    forged = jwt.encode(_claims(alice_access), "another-signing-key-" + "x" * 44, algorithm="HS256")

    assert_unauthorized(_me(forged))


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_access_token_signed_with_the_key_but_another_algorithm_is_401(alice_access):
    key = settings.SIMPLE_JWT["SIGNING_KEY"]
    forged = jwt.encode(_claims(alice_access), key, algorithm="HS512")

    assert_unauthorized(_me(forged))


@pytest.mark.django_db
def test_access_token_with_alg_none_is_401(alice_access):
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{header}.{_b64(json.dumps(_claims(alice_access)).encode())}."

    assert_unauthorized(_me(unsigned))


@pytest.mark.django_db
def test_access_token_with_alg_none_built_by_pyjwt_is_401(alice_access):
    unsigned = jwt.encode(_claims(alice_access), key=None, algorithm="none")

    assert_unauthorized(_me(unsigned))


@pytest.mark.django_db
def test_refresh_token_used_as_access_token_is_401(alice):
    refresh = str(RefreshToken.for_user(alice))

    assert_unauthorized(_me(refresh))


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["garbage", "a.b.c", "", "Bearer"])
def test_garbage_bearer_token_is_401(alice, token):
    assert_unauthorized(_me(token))


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
def test_the_bearer_scheme_is_matched_in_any_case(alice_access, scheme):
    """RFC 9110, 11.1: an authentication scheme's name is case-insensitive."""
    response = APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"{scheme} {alice_access}")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["", "Token ", "JWT ", "Basic "])
def test_access_token_without_the_bearer_scheme_is_401(alice_access, scheme):
    response = APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"{scheme}{alice_access}")

    assert_unauthorized(response)


@pytest.mark.django_db
def test_no_authorization_header_is_401(anon_client):
    assert_unauthorized(anon_client.get(ME_URL))


@pytest.mark.django_db
def test_access_token_of_a_deleted_user_is_401(alice, alice_access):
    alice.delete()

    assert_unauthorized(_me(alice_access))


# Claims of the wrong type, signed with the right key: a 401, never a 500.


def _signed(claims: dict) -> str:
    return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_id", [[1], {"id": 1}, 1.5, "1.0", "abc", "", "99999999999999999999999", -1, True, None]
)
@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_a_token_with_a_user_claim_of_the_wrong_type_is_401(alice_access, user_id, kind):
    claims = {**_claims(alice_access), "user_id": user_id, "token_type": kind}
    if user_id is None:
        del claims["user_id"]
    token = _signed(claims)

    if kind == "access":
        body = assert_unauthorized(_me(token))
    else:
        response = APIClient().post(REFRESH_URL, {"refresh": token})
        body = assert_problem(response, 401)

    assert body["type"] == "urn:fintrack:problem:token-not-valid"


@pytest.mark.django_db
@pytest.mark.parametrize("jti", [[1], 5, None, {"a": "b"}])
def test_a_token_with_an_id_claim_of_the_wrong_type_is_401(alice_access, jti):
    claims = {**_claims(alice_access), "jti": jti}
    body = assert_unauthorized(_me(_signed(claims)))

    refresh = APIClient().post(
        REFRESH_URL, {"refresh": _signed({**claims, "token_type": "refresh"})}
    )

    assert body["type"] == "urn:fintrack:problem:token-not-valid"
    assert assert_problem(refresh, 401)["type"] == "urn:fintrack:problem:token-not-valid"


@pytest.mark.django_db
def test_an_older_token_with_an_integer_user_claim_still_works(alice, alice_access):
    claims = {**_claims(alice_access), "user_id": alice.pk}

    assert _me(_signed(claims)).status_code == 200


# Token answers are never cached (RFC 6749, section 5.1).


@pytest.mark.django_db
def test_token_answers_are_not_cacheable(anon_client, alice):
    signed_in = anon_client.post(TOKEN_URL, {"username": "alice", "password": DEFAULT_PASSWORD})
    refreshed = anon_client.post(REFRESH_URL, {"refresh": signed_in.json()["refresh"]})

    for response in (signed_in, refreshed):
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert response["Pragma"] == "no-cache"


# One refresh token rotates once, however many requests race with it.


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_with_one_token_give_one_new_pair():
    user = UserFactory(username="dave")
    refresh = str(RefreshToken.for_user(user))
    barrier = threading.Barrier(6)

    def attempt(_: int) -> int:
        barrier.wait()
        response = APIClient().post(REFRESH_URL, {"refresh": refresh})
        connection.close()
        return response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = sorted(pool.map(attempt, range(6)))

    if connection.vendor == "postgresql":
        assert answers == [200, 401, 401, 401, 401, 401]
    else:
        # SQLite's in-memory test database locks whole tables without waiting: a loser may be
        # a retryable 503 instead of a 401. Never two new pairs.
        assert answers.count(200) <= 1
        assert set(answers) <= {200, 401, 503}
