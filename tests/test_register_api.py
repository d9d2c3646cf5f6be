"""POST /api/register/."""

import pytest
from freezegun import freeze_time

from fintrack.accounts.models import User

from .assertions import assert_problem

REGISTER_URL = "/api/register/"
PASSWORD = "violet-lantern-staircase-42"


def _payload(**overrides: object) -> dict[str, object]:
    return {"username": "carol", "email": "carol@example.com", "password": PASSWORD, **overrides}


@pytest.mark.django_db
def test_register_creates_the_user_and_answers_the_profile(anon_client):
    with freeze_time("2026-11-24 08:30:15"):
        response = anon_client.post(REGISTER_URL, _payload())

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {
        "id": user.pk,
        "username": "carol",
        "email": "carol@example.com",
        "currency": "USD",
        "date_joined": "2026-11-24T08:30:15Z",
    }
    assert user.username == "carol"
    assert user.email == "carol@example.com"
    assert user.currency == "USD"


@pytest.mark.django_db
def test_register_never_echoes_the_password_and_stores_an_argon2_hash(anon_client):
    response = anon_client.post(REGISTER_URL, _payload())

    assert response.status_code == 201
    assert "password" not in response.json()
    assert PASSWORD not in response.content.decode()
    user = User.objects.get(username="carol")
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_registered_user_can_sign_in(anon_client):
    anon_client.post(REGISTER_URL, _payload())

    response = anon_client.post("/api/token/", {"username": "carol", "password": PASSWORD})

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


@pytest.mark.django_db
def test_register_lowercases_only_the_email_domain(anon_client):
    response = anon_client.post(REGISTER_URL, _payload(email="Carol@EXAMPLE.COM"))

    assert response.status_code == 201
    assert response.json()["email"] == "Carol@example.com"


@pytest.mark.django_db
def test_register_without_any_field_names_all_three(anon_client):
    response = anon_client.post(REGISTER_URL, {})

    assert_problem(response, 400, errors=["username", "email", "password"])
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_register_without_a_field_names_it(anon_client, missing):
    payload = _payload()
    del payload[missing]

    response = anon_client.post(REGISTER_URL, payload)

    body = assert_problem(response, 400, errors=[missing])
    assert body["errors"][missing] == ["This field is required."]
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("value", ["", None])
def test_register_with_a_blank_or_null_field_names_it(anon_client, field, value):
    response = anon_client.post(REGISTER_URL, _payload(**{field: value}))

    assert_problem(response, 400, errors=[field])
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["alice", "ALICE", "Alice"])
def test_register_with_a_taken_username_in_any_case_is_400(anon_client, alice, username):
    response = anon_client.post(REGISTER_URL, _payload(username=username))

    body = assert_problem(response, 400, errors=["username"])
    assert body["errors"]["username"] == ["This username is already taken."]
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@EXAMPLE.COM", "Alice@example.com"])
def test_register_with_a_taken_email_in_any_case_is_400(anon_client, alice, email):
    response = anon_client.post(REGISTER_URL, _payload(email=email))

    body = assert_problem(response, 400, errors=["email"])
    assert body["errors"]["email"] == ["This email is already taken."]
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ["not-an-email", "carol@", "@example.com", "carol@example", "carol example@x.com"]
)
def test_register_with_a_malformed_email_is_400(anon_client, email):
    response = anon_client.post(REGISTER_URL, _payload(email=email))

    assert_problem(response, 400, errors=["email"])
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["carol smith", "carol!", "a" * 151])
def test_register_with_an_invalid_username_is_400(anon_client, username):
    response = anon_client.post(REGISTER_URL, _payload(username=username))

    assert_problem(response, 400, errors=["username"])
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("carol", "x7#qz", "This password is too short. It must contain at least 8 characters."),
        ("carol", "password1", "This password is too common."),
        ("carol", "8302917465", "This password is entirely numeric."),
        ("margaretha", "margaretha1", "The password is too similar to the username."),
    ],
    ids=["too-short", "too-common", "all-digits", "like-the-username"],
)
def test_register_with_a_weak_password_is_400(anon_client, username, password, message):
    response = anon_client.post(REGISTER_URL, _payload(username=username, password=password))

    body = assert_problem(response, 400, errors=["password"])
    assert message in body["errors"]["password"]
    assert password not in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_with_a_password_like_the_email_is_400(anon_client):
    response = anon_client.post(
        REGISTER_URL, _payload(email="margaretha@example.com", password="margaretha@example")
    )

    body = assert_problem(response, 400, errors=["password"])
    assert body["errors"]["password"] == ["The password is too similar to the email address."]


@pytest.mark.django_db
def test_register_ignores_fields_it_does_not_own(anon_client):
    response = anon_client.post(
        REGISTER_URL, _payload(currency="EUR", is_staff=True, is_superuser=True, id=999)
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json()["currency"] == "USD"
    assert response.json()["id"] == user.pk != 999
    assert not user.is_staff
    assert not user.is_superuser
