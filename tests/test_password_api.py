"""POST /api/me/password/."""

import pytest
from django.http import HttpResponse
from rest_framework.test import APIClient

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD

PASSWORD_URL = "/api/me/password/"
TOKEN_URL = "/api/token/"
REFRESH_URL = "/api/token/refresh/"
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
