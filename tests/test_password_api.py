"""POST /api/me/password/."""

import jwt
import pytest
from django.conf import settings
from django.http import HttpResponse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from fintrack.accounts.models import User
from fintrack.accounts.tokens import GenerationRefreshToken

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD

PASSWORD_URL = "/api/me/password/"
TOKEN_URL = "/api/token/"
REFRESH_URL = "/api/token/refresh/"
ME_URL = "/api/me/"
NEW_PASSWORD = "marmalade-orbit-canyon-31"


def _sign_in(username: str, password: str) -> HttpResponse:
    return APIClient().post(TOKEN_URL, {"username": username, "password": password})


def _change(
    client: APIClient, old: str = DEFAULT_PASSWORD, new: str = NEW_PASSWORD
) -> HttpResponse:
    return client.post(PASSWORD_URL, {"old_password": old, "new_password": new})


@pytest.mark.django_db
def test_change_password_is_204_and_the_new_password_signs_in(alice, alice_client):
    response = _change(alice_client)

    assert response.status_code == 204
    assert response.content == b""
    assert _sign_in("alice", NEW_PASSWORD).status_code == 200
    assert_unauthorized(_sign_in("alice", DEFAULT_PASSWORD))
    alice.refresh_from_db()
    assert alice.password.startswith("argon2")
    assert alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_change_password_revokes_every_earlier_refresh_token(alice, alice_client, anon_client):
    laptop = _sign_in("alice", DEFAULT_PASSWORD).json()["refresh"]
    phone = _sign_in("alice", DEFAULT_PASSWORD).json()["refresh"]
    # A token that came from a rotation, not from a sign-in, must go too.
    rotated = anon_client.post(REFRESH_URL, {"refresh": phone}).json()["refresh"]

    assert _change(alice_client).status_code == 204

    for refresh in (laptop, phone, rotated):
        assert_unauthorized(anon_client.post(REFRESH_URL, {"refresh": refresh}))


@pytest.mark.django_db
def test_refresh_tokens_issued_after_the_change_work(alice, alice_client, anon_client):
    _change(alice_client)
    refresh = _sign_in("alice", NEW_PASSWORD).json()["refresh"]

    response = anon_client.post(REFRESH_URL, {"refresh": refresh})

    assert response.status_code == 200


@pytest.mark.django_db
def test_change_password_leaves_bobs_tokens_alone(alice_client, bob, anon_client):
    bobs_refresh = _sign_in("bob", DEFAULT_PASSWORD).json()["refresh"]

    _change(alice_client)

    assert anon_client.post(REFRESH_URL, {"refresh": bobs_refresh}).status_code == 200
    assert _sign_in("bob", DEFAULT_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_change_password_with_a_wrong_old_password_is_400(alice, alice_client):
    response = _change(alice_client, old="not-the-password-7")

    body = assert_problem(response, 400, errors=["old_password"])
    assert body["errors"]["old_password"] == ["The current password is wrong."]
    alice.refresh_from_db()
    assert alice.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("x7#qz", "This password is too short. It must contain at least 8 characters."),
        ("password1", "This password is too common."),
        ("8302917465", "This password is entirely numeric."),
        ("alice@example", "The password is too similar to the email address."),
    ],
    ids=["too-short", "too-common", "all-digits", "like-the-email"],
)
def test_change_password_to_a_weak_one_is_400(alice, alice_client, new_password, message):
    response = _change(alice_client, new=new_password)

    body = assert_problem(response, 400, errors=["new_password"])
    assert message in body["errors"]["new_password"]
    assert new_password not in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_change_password_to_one_like_the_username_is_400(alice_client):
    alice_client.patch("/api/me/", {"email": "a@example.org"})

    response = _change(alice_client, new="alice")

    body = assert_problem(response, 400, errors=["new_password"])
    assert "The password is too similar to the username." in body["errors"]["new_password"]


@pytest.mark.django_db
def test_change_password_without_fields_is_400_naming_both(alice, alice_client):
    response = alice_client.post(PASSWORD_URL, {})

    assert_problem(response, 400, errors=["old_password", "new_password"])


@pytest.mark.django_db
def test_change_password_without_a_token_is_401(alice, anon_client):
    response = _change(anon_client)

    assert_unauthorized(response)
    alice.refresh_from_db()
    assert alice.check_password(DEFAULT_PASSWORD)


# Access tokens die with the password (the token generation claim)


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _forged(claims: dict) -> str:
    """A token signed with the right key, holding exactly these claims."""
    return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")


def _me(access: str) -> HttpResponse:
    return APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {access}")


def _assert_token_not_valid(response: HttpResponse) -> None:
    body = assert_unauthorized(response)
    assert body["type"] == "urn:fintrack:problem:token-not-valid"


@pytest.mark.django_db
def test_every_earlier_access_token_is_401_after_a_change(alice, anon_client):
    laptop = _sign_in("alice", DEFAULT_PASSWORD).json()
    phone = _sign_in("alice", DEFAULT_PASSWORD).json()
    rotated = anon_client.post(REFRESH_URL, {"refresh": phone["refresh"]}).json()
    changer = APIClient()
    changer.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop['access']}")

    assert _change(changer).status_code == 204

    # The token that made the change too: the client signs in again.
    for access in (laptop["access"], phone["access"], rotated["access"]):
        _assert_token_not_valid(_me(access))


@pytest.mark.django_db
def test_access_tokens_issued_after_the_change_work(alice, alice_client):
    _change(alice_client)
    access = _sign_in("alice", NEW_PASSWORD).json()["access"]

    assert _me(access).json()["username"] == "alice"


@pytest.mark.django_db
def test_every_issued_token_carries_the_users_generation(alice, anon_client):
    first = _sign_in("alice", DEFAULT_PASSWORD).json()
    assert {_claims(first["access"])["gen"], _claims(first["refresh"])["gen"]} == {0}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access']}")
    _change(client)
    tokens = _sign_in("alice", NEW_PASSWORD).json()
    rotated = anon_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).json()

    alice.refresh_from_db()
    assert alice.token_generation == 1
    for token in (tokens["access"], tokens["refresh"], rotated["access"], rotated["refresh"]):
        assert _claims(token)["gen"] == 1


@pytest.mark.django_db
def test_a_token_without_the_claim_counts_as_generation_0(alice, alice_client):
    # Tokens issued before the claim existed keep working until the first password change.
    legacy = RefreshToken.for_user(alice).access_token
    assert "gen" not in legacy.payload
    assert _me(str(legacy)).status_code == 200

    _change(alice_client)

    _assert_token_not_valid(_me(str(legacy)))


@pytest.mark.django_db
@pytest.mark.parametrize("generation", ["0", True, -1, 0.0, None, [0], 1])
def test_a_token_with_a_wrong_generation_claim_is_401(alice, generation):
    claims = _claims(str(GenerationRefreshToken.for_user(alice).access_token))

    response = _me(_forged({**claims, "gen": generation}))

    _assert_token_not_valid(response)


@pytest.mark.django_db
def test_checking_the_generation_costs_no_query(alice, alice_client, django_assert_num_queries):
    # The user row that authentication loads anyway holds the generation.
    with django_assert_num_queries(1):
        assert alice_client.get("/api/me/").status_code == 200


@pytest.mark.django_db
def test_a_refresh_token_of_an_older_generation_is_401_even_if_not_blacklisted(alice, anon_client):
    refresh = _sign_in("alice", DEFAULT_PASSWORD).json()["refresh"]
    # As if a token escaped the blacklisting (issued while the change committed).
    User.objects.filter(pk=alice.pk).update(token_generation=1)

    response = anon_client.post(REFRESH_URL, {"refresh": refresh})

    _assert_token_not_valid(response)
    assert not BlacklistedToken.objects.filter(token__jti=_claims(refresh)["jti"]).exists()


@pytest.mark.django_db
def test_a_refresh_token_with_a_forged_generation_is_still_401(alice, anon_client):
    refresh = _sign_in("alice", DEFAULT_PASSWORD).json()["refresh"]
    User.objects.filter(pk=alice.pk).update(token_generation=1)

    # The generation the server wants, signed with another key: the pre-check reads the claim
    # unverified, the verification that follows refuses the signature.
    forged = jwt.encode({**_claims(refresh), "gen": 1}, "not-the-key-" * 4, algorithm="HS256")

    response = anon_client.post(REFRESH_URL, {"refresh": forged})

    _assert_token_not_valid(response)
