"""POST /api/password-reset/ and /api/password-reset/confirm/: forgot my password, by email."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from freezegun import freeze_time
from pytest_django import Settings
from rest_framework.test import APIClient

from fintrack.accounts import emails, services
from fintrack.accounts.models import User
from fintrack.core.errors import Invalid

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD, UserFactory
from .test_goal_concurrency import run_together

RESET_URL = "/api/password-reset/"
CONFIRM_URL = "/api/password-reset/confirm/"
TOKEN_URL = "/api/token/"
REFRESH_URL = "/api/token/refresh/"
ME_URL = "/api/me/"
NEW_PASSWORD = "marmalade-orbit-canyon-31"
ACCEPTED = {
    "detail": (
        "If an account has this email address, a message with a reset code is on its way. "
        "The code works once, for one hour."
    )
}
INVALID_CODE = "This reset code is wrong, already used or expired; ask for a new one."
CODE_PATTERN = re.compile(r"uid:\s+(?P<uid>\S+)\n\s+token:\s+(?P<token>\S+)")


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _request(client: APIClient, email: str, **extra: Any) -> HttpResponse:
    return client.post(RESET_URL, {"email": email}, **extra)


def _code() -> dict[str, str]:
    """The uid and token of the last mail in the outbox."""
    match = CODE_PATTERN.search(str(mail.outbox[-1].body))
    assert match is not None, mail.outbox[-1].body
    return match.groupdict()


def _confirm(client: APIClient, code: dict[str, str], password: str = NEW_PASSWORD) -> HttpResponse:
    return client.post(CONFIRM_URL, {**code, "new_password": password})


def _sign_in(username: str, password: str) -> HttpResponse:
    return APIClient().post(TOKEN_URL, {"username": username, "password": password})


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _assert_invalid_code(response: HttpResponse) -> None:
    body = assert_problem(response, 400, errors=["token"])
    assert body["errors"]["token"] == [INVALID_CODE]


# Asking for a code


@pytest.mark.django_db
def test_a_reset_request_is_202_and_mails_a_code_to_the_account(anon_client, alice):
    response = _request(anon_client, "alice@example.com")

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your fintrack password"
    assert message.from_email == "fintrack <no-reply@localhost>"
    assert message.content_subtype == "plain"
    assert "reset the password of your fintrack account (alice)" in message.body
    assert "The code works once, for one hour" in message.body
    assert "If you did not ask for this, ignore this email" in message.body
    assert "http" not in message.body  # no PASSWORD_RESET_URL, no link
    assert urlsafe_base64_decode(_code()["uid"]) == str(alice.pk).encode()


@pytest.mark.django_db
def test_the_mail_holds_a_link_when_password_reset_url_is_set(anon_client, alice, settings):
    settings.PASSWORD_RESET_URL = "https://app.example.com/reset?uid={uid}&token={token}"

    _request(anon_client, "alice@example.com")

    code = _code()
    link = f"https://app.example.com/reset?uid={code['uid']}&token={code['token']}"
    assert f"\n{link}\n" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_answer_and_no_mail(anon_client, alice):
    known = _request(anon_client, "alice@example.com")
    mail.outbox.clear()

    unknown = _request(anon_client, "nobody@example.com")

    assert unknown.status_code == known.status_code == 202
    assert unknown.content == known.content
    assert unknown["Content-Type"] == known["Content-Type"]
    assert mail.outbox == []


@pytest.mark.django_db
def test_known_and_unknown_emails_cost_the_same_queries(
    anon_client, alice, django_assert_num_queries
):
    # The same work either way (one lookup, one code computed): the answer's timing tells
    # nothing, and the mail itself leaves outside the request (see the background test below).
    with django_assert_num_queries(1):
        _request(anon_client, "alice@example.com")
    with django_assert_num_queries(1):
        _request(anon_client, "nobody@example.com")


@pytest.mark.django_db
def test_the_email_matches_in_any_case_and_the_mail_goes_to_the_stored_address(anon_client, alice):
    response = _request(anon_client, "ALICE@Example.COM")

    assert response.status_code == 202
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


@pytest.mark.django_db
def test_an_inactive_account_gets_no_mail(anon_client, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = _request(anon_client, "alice@example.com")

    assert response.json() == ACCEPTED
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{"email": "not-an-email"}, {"email": ""}, {"email": ["alice@example.com"]}, {}],
    ids=["malformed", "empty", "a-list", "missing"],
)
def test_a_malformed_email_is_400_naming_email(anon_client, alice, body):
    response = anon_client.post(RESET_URL, body)

    assert_problem(response, 400, errors=["email"])
    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_endpoints_ignore_a_bearer_token(alice, alice_client):
    assert _request(alice_client, "alice@example.com").status_code == 202
    assert _confirm(alice_client, _code()).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_in_production_the_mail_leaves_in_the_background(alice, settings):
    settings.PASSWORD_RESET_MAIL_IN_BACKGROUND = True
    message = emails.password_reset_message(
        username="alice", to="alice@example.com", uid="MQ", token="abc-123"
    )

    future = emails.mail_send(message)

    assert future is not None
    future.result(timeout=10)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_failed_send_is_logged_not_raised(settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_password_reset_api.FailingBackend"
    message = emails.password_reset_message(
        username="alice", to="alice@example.com", uid="MQ", token="abc-123"
    )

    assert emails.mail_send(message) is None

    assert "Sending the password reset mail failed" in caplog.text


class FailingBackend:
    def __init__(self, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("no SMTP server")


# Using the code


@pytest.mark.django_db
def test_reset_end_to_end_signs_every_device_out(anon_client, alice):
    laptop = _sign_in("alice", DEFAULT_PASSWORD).json()
    phone = _sign_in("alice", DEFAULT_PASSWORD).json()
    rotated = anon_client.post(REFRESH_URL, {"refresh": phone["refresh"]}).json()
    assert _bearer(laptop["access"]).get(ME_URL).status_code == 200

    assert _request(anon_client, "alice@example.com").status_code == 202
    response = _confirm(anon_client, _code())

    assert response.status_code == 204
    assert response.content == b""
    assert _sign_in("alice", NEW_PASSWORD).status_code == 200
    assert_unauthorized(_sign_in("alice", DEFAULT_PASSWORD))
    for refresh in (laptop["refresh"], rotated["refresh"]):
        assert_unauthorized(anon_client.post(REFRESH_URL, {"refresh": refresh}))
    for access in (laptop["access"], phone["access"], rotated["access"]):
        body = assert_unauthorized(_bearer(access).get(ME_URL))
        assert body["type"] == "urn:fintrack:problem:token-not-valid"
    alice.refresh_from_db()
    assert alice.password.startswith("argon2")
    assert alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_tokens_issued_after_the_reset_work(anon_client, alice):
    _request(anon_client, "alice@example.com")
    _confirm(anon_client, _code())

    tokens = _sign_in("alice", NEW_PASSWORD).json()

    assert _bearer(tokens["access"]).get(ME_URL).json()["username"] == "alice"
    assert anon_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 200


@pytest.mark.django_db
def test_a_code_works_once(anon_client, alice):
    _request(anon_client, "alice@example.com")
    code = _code()
    assert _confirm(anon_client, code).status_code == 204

    again = _confirm(anon_client, code, password="another-fine-passphrase-8")

    _assert_invalid_code(again)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_code_dies_when_the_password_changes_another_way(anon_client, alice, alice_client):
    _request(anon_client, "alice@example.com")
    code = _code()
    changed = alice_client.post(
        "/api/me/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password": "another-fine-passphrase-8"},
    )
    assert changed.status_code == 204

    _assert_invalid_code(_confirm(anon_client, code))


@pytest.mark.django_db
def test_a_code_works_for_an_hour_and_not_after(anon_client, alice):
    start = timezone.now()
    with freeze_time(start):
        _request(anon_client, "alice@example.com")
    first = _code()
    with freeze_time(start):
        _request(anon_client, "alice@example.com")
    second = _code()

    with freeze_time(start + timedelta(minutes=61)):
        _assert_invalid_code(_confirm(anon_client, first))
    with freeze_time(start + timedelta(minutes=59)):
        assert _confirm(anon_client, second).status_code == 204


@pytest.mark.django_db
def test_a_code_for_another_user_is_refused(anon_client, alice, bob):
    _request(anon_client, "alice@example.com")
    alices = _code()
    _request(anon_client, "bob@example.com")
    bobs = _code()

    # Alice's token with Bob's uid, and the other way round.
    _assert_invalid_code(_confirm(anon_client, {"uid": bobs["uid"], "token": alices["token"]}))
    _assert_invalid_code(_confirm(anon_client, {"uid": alices["uid"], "token": bobs["token"]}))
    for user in (alice, bob):
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uid",
    [
        "OTk5OTk5OTk5",
        "not base64!",
        "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
        "LTE",
        "w6k",
        "Z",
    ],
    ids=["no-such-user", "not-base64", "too-large-an-id", "negative", "not-a-number", "short"],
)
def test_a_wrong_uid_is_400(anon_client, alice, uid):
    _request(anon_client, "alice@example.com")

    _assert_invalid_code(_confirm(anon_client, {"uid": uid, "token": _code()["token"]}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", ["bogus", "cz8f1x-5d2e4b6a0c9f8e7d6c5b4a39281706f5", "x" * 128, "-"]
)
def test_a_wrong_token_is_400(anon_client, alice, token):
    _request(anon_client, "alice@example.com")

    _assert_invalid_code(_confirm(anon_client, {"uid": _code()["uid"], "token": token}))
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
def test_a_weak_new_password_is_400_and_the_code_still_works(
    anon_client, alice, new_password, message
):
    _request(anon_client, "alice@example.com")
    code = _code()

    response = _confirm(anon_client, code, password=new_password)

    body = assert_problem(response, 400, errors=["new_password"])
    assert message in body["errors"]["new_password"]
    assert new_password not in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(DEFAULT_PASSWORD)
    assert _confirm(anon_client, code).status_code == 204


@pytest.mark.django_db
def test_a_confirmation_without_fields_is_400_naming_them(anon_client):
    response = anon_client.post(CONFIRM_URL, {})

    assert_problem(response, 400, errors=["uid", "token", "new_password"])


@pytest.mark.django_db
def test_a_reset_leaves_other_users_alone(anon_client, alice, bob):
    bobs = _sign_in("bob", DEFAULT_PASSWORD).json()
    _request(anon_client, "alice@example.com")

    _confirm(anon_client, _code())

    assert _bearer(bobs["access"]).get(ME_URL).json()["username"] == "bob"
    assert anon_client.post(REFRESH_URL, {"refresh": bobs["refresh"]}).status_code == 200


# Throttles


@pytest.fixture
def strict_reset_rates(settings: Settings) -> None:
    """Three reset requests per address and two per email address an hour; three confirmations
    per address."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "password_reset": "3/hour",
            "password_reset_email": "2/hour",
            "password_reset_confirm": "3/hour",
        },
    }


def _assert_throttled(response: HttpResponse) -> None:
    body = assert_problem(response, 429)
    assert body["type"] == "urn:fintrack:problem:throttled"
    assert 0 < int(response["Retry-After"]) <= 3600


@pytest.mark.django_db
def test_reset_requests_are_limited_per_address(anon_client, alice, strict_reset_rates):
    emails = ["a@example.com", "b@example.com", "c@example.com"]
    answers = [_request(anon_client, e, REMOTE_ADDR="192.0.2.1").status_code for e in emails]

    _assert_throttled(_request(anon_client, "d@example.com", REMOTE_ADDR="192.0.2.1"))
    assert answers == [202, 202, 202]
    assert _request(anon_client, "d@example.com", REMOTE_ADDR="192.0.2.2").status_code == 202


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_reset_requests_are_limited_per_email_known_or_not(
    anon_client, alice, strict_reset_rates, email
):
    # From three addresses, in three spellings: the third request for one address is refused
    # whether or not it has an account, so the limit reveals nothing either.
    spellings = [email, email.upper(), email.title()]
    answers = [
        _request(anon_client, spelled, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n, spelled in enumerate(spellings)
    ]

    assert answers[:2] == [202, 202]
    assert answers[2] == 429
    _assert_throttled(_request(anon_client, email, REMOTE_ADDR="192.0.2.9"))
    assert _request(anon_client, "bob@example.com", REMOTE_ADDR="192.0.2.9").status_code == 202
    assert len(mail.outbox) == (2 if email.startswith("alice") else 0)


@pytest.mark.django_db
def test_the_address_limit_and_the_email_limit_answer_alike(anon_client, strict_reset_rates):
    """The contract: throttled per address and per email, "the answer does not reveal either"."""
    with freeze_time("2026-11-29 09:00:00"):
        for email in ["a@example.com", "b@example.com", "c@example.com"]:
            _request(anon_client, email, REMOTE_ADDR="192.0.2.1")
        by_address = _request(anon_client, "d@example.com", REMOTE_ADDR="192.0.2.1")
        for n in range(2):
            _request(anon_client, "e@example.com", REMOTE_ADDR=f"198.51.100.{n}")
        by_email = _request(anon_client, "e@example.com", REMOTE_ADDR="198.51.100.9")

    _assert_throttled(by_address)
    _assert_throttled(by_email)
    assert by_address.json() == by_email.json()
    assert by_address["Retry-After"] == by_email["Retry-After"]


@pytest.mark.django_db
def test_the_email_limit_lifts_after_the_hour(anon_client, alice, strict_reset_rates):
    with freeze_time("2026-11-29 09:00:00") as clock:
        for n in range(2):
            _request(anon_client, "alice@example.com", REMOTE_ADDR=f"192.0.2.{n}")
        _assert_throttled(_request(anon_client, "alice@example.com", REMOTE_ADDR="192.0.2.7"))

        clock.tick(3601)

        assert (
            _request(anon_client, "alice@example.com", REMOTE_ADDR="192.0.2.8").status_code == 202
        )


@pytest.mark.django_db
def test_confirmations_are_limited_per_address(anon_client, alice, strict_reset_rates):
    bogus = {"uid": "MQ", "token": "bogus"}
    answers = [_confirm(anon_client, bogus).status_code for _ in range(3)]

    _assert_throttled(_confirm(anon_client, bogus))
    assert answers == [400, 400, 400]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: row locks between connections"
)
def test_one_code_sent_by_concurrent_requests_sets_one_password(anon_client):
    UserFactory(username="alice", email="alice@example.com")
    _request(anon_client, "alice@example.com")
    code = _code()
    passwords = [f"concurrent-passphrase-{n}-x" for n in range(6)]

    results = run_together(
        [
            lambda password=password: services.password_reset_confirm(**code, new_password=password)
            for password in passwords
        ]
    )

    winners = [p for p, result in zip(passwords, results, strict=True) if isinstance(result, User)]
    assert len(winners) == 1
    assert all(isinstance(r, Invalid) for r in results if not isinstance(r, User))
    assert User.objects.get(username="alice").check_password(winners[0])
