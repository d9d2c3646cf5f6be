"""POST /api/logout/."""

import jwt
import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD

LOGOUT_URL = "/api/logout/"
REFRESH_URL = "/api/token/refresh/"


def _refresh_token(client: APIClient, username: str) -> str:
    response = client.post("/api/token/", {"username": username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["refresh"]


@pytest.mark.django_db
def test_logout_revokes_the_refresh_token(alice_client, anon_client):
    refresh = _refresh_token(anon_client, "alice")

    response = alice_client.post(LOGOUT_URL, {"refresh": refresh})

    assert response.status_code == 204
    assert response.content == b""
    assert_unauthorized(anon_client.post(REFRESH_URL, {"refresh": refresh}))


@pytest.mark.django_db
def test_logout_of_a_rotated_refresh_token_revokes_it(alice_client, anon_client):
    first = _refresh_token(anon_client, "alice")
    rotated = anon_client.post(REFRESH_URL, {"refresh": first}).json()["refresh"]

    response = alice_client.post(LOGOUT_URL, {"refresh": rotated})

    assert response.status_code == 204
    assert_unauthorized(anon_client.post(REFRESH_URL, {"refresh": rotated}))


@pytest.mark.django_db
def test_logout_leaves_the_other_sessions_signed_in(alice_client, anon_client):
    laptop = _refresh_token(anon_client, "alice")
    phone = _refresh_token(anon_client, "alice")

    alice_client.post(LOGOUT_URL, {"refresh": laptop})

    assert anon_client.post(REFRESH_URL, {"refresh": phone}).status_code == 200


@pytest.mark.django_db
def test_logout_twice_with_one_token_is_400_the_second_time(alice_client, anon_client):
    refresh = _refresh_token(anon_client, "alice")
    assert alice_client.post(LOGOUT_URL, {"refresh": refresh}).status_code == 204

    response = alice_client.post(LOGOUT_URL, {"refresh": refresh})

    assert_problem(response, 400, errors=["refresh"])


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"])
def test_logout_with_a_garbage_token_is_400(alice_client, token):
    response = alice_client.post(LOGOUT_URL, {"refresh": token})

    assert_problem(response, 400, errors=["refresh"])


@pytest.mark.django_db
def test_logout_with_a_forged_refresh_token_is_400(alice, alice_client):
    claims = jwt.decode(str(RefreshToken.for_user(alice)), options={"verify_signature": False})
    forged = jwt.encode(claims, "another-signing-key-" + "x" * 44, algorithm="HS256")

    response = alice_client.post(LOGOUT_URL, {"refresh": forged})

    assert_problem(response, 400, errors=["refresh"])


@pytest.mark.django_db
def test_logout_with_an_access_token_is_400(alice, alice_client):
    access = str(RefreshToken.for_user(alice).access_token)

    response = alice_client.post(LOGOUT_URL, {"refresh": access})

    assert_problem(response, 400, errors=["refresh"])


@pytest.mark.django_db
def test_logout_with_bobs_refresh_token_is_400_and_bob_stays_signed_in(
    alice_client, bob, anon_client
):
    bobs_refresh = _refresh_token(anon_client, "bob")

    response = alice_client.post(LOGOUT_URL, {"refresh": bobs_refresh})

    assert_problem(response, 400, errors=["refresh"])
    assert anon_client.post(REFRESH_URL, {"refresh": bobs_refresh}).status_code == 200


@pytest.mark.django_db
def test_logout_without_a_token_in_the_body_is_400(alice_client):
    response = alice_client.post(LOGOUT_URL, {})

    body = assert_problem(response, 400, errors=["refresh"])
    assert body["errors"]["refresh"] == ["This field is required."]


@pytest.mark.django_db
def test_logout_without_an_access_token_is_401_and_revokes_nothing(alice, anon_client):
    refresh = _refresh_token(anon_client, "alice")

    response = anon_client.post(LOGOUT_URL, {"refresh": refresh})

    assert_unauthorized(response)
    assert anon_client.post(REFRESH_URL, {"refresh": refresh}).status_code == 200


@pytest.mark.django_db
def test_logout_with_a_refresh_token_as_the_bearer_is_401(alice, anon_client):
    refresh = _refresh_token(anon_client, "alice")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh}")

    response = client.post(LOGOUT_URL, {"refresh": refresh})

    assert_unauthorized(response)
    assert anon_client.post(REFRESH_URL, {"refresh": refresh}).status_code == 200
