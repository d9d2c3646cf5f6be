"""Throttles: register and token per client address, everything else per signed-in user."""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from freezegun import freeze_time
from pytest_django import Settings
from rest_framework.test import APIClient

from fintrack.accounts.models import User

from .assertions import assert_problem
from .conftest import set_throttle_rates
from .factories import DEFAULT_PASSWORD, UserFactory

TOKEN_URL = "/api/token/"
REGISTER_URL = "/api/register/"
ME_URL = "/api/me/"


@pytest.fixture(autouse=True)
def strict_rates(settings: Settings) -> Iterator[None]:
    """Three requests a minute, per address for sign-in and sign-up, per user elsewhere.

    The clock starts a second into a minute and runs on: a test's requests all fall in one
    fixed window (one that crossed a minute found its counter reset, now and then)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": "3/min", "user": "3/min"},
    }
    cache.clear()
    start = datetime.now(UTC).replace(second=1, microsecond=0)
    with freeze_time(start, tick=True):
        yield
    cache.clear()


def _assert_throttled(response: HttpResponse) -> None:
    body = assert_problem(response, 429)
    assert body["type"] == "urn:fintrack:problem:throttled"
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60


def _sign_in(client: APIClient, username: str = "alice", **extra: Any) -> HttpResponse:
    return client.post(TOKEN_URL, {"username": username, "password": DEFAULT_PASSWORD}, **extra)


def _register(client: APIClient, n: int, **extra: Any) -> HttpResponse:
    payload = {"username": f"user{n}", "email": f"user{n}@example.com", "password": "v-l-s-4242!"}
    return client.post(REGISTER_URL, payload, **extra)


@pytest.mark.django_db
def test_the_fourth_token_request_from_one_address_is_429(anon_client, alice):
    answers = [_sign_in(anon_client).status_code for _ in range(3)]

    response = _sign_in(anon_client)

    assert answers == [200, 200, 200]
    _assert_throttled(response)


@pytest.mark.django_db
def test_failed_sign_ins_count_towards_the_token_limit(anon_client, alice):
    for _ in range(3):
        bad = anon_client.post(TOKEN_URL, {"username": "alice", "password": "guess-123456"})
        assert bad.status_code == 401

    _assert_throttled(_sign_in(anon_client))


@pytest.mark.django_db
def test_the_fourth_register_request_from_one_address_is_429(anon_client):
    answers = [_register(anon_client, n).status_code for n in range(3)]

    response = _register(anon_client, 3)

    assert answers == [201, 201, 201]
    _assert_throttled(response)
    assert User.objects.count() == 3


@pytest.mark.django_db
def test_the_token_limit_is_per_address(anon_client, alice):
    for _ in range(3):
        _sign_in(anon_client, REMOTE_ADDR="192.0.2.1")

    assert _sign_in(anon_client, REMOTE_ADDR="192.0.2.2").status_code == 200
    _assert_throttled(_sign_in(anon_client, REMOTE_ADDR="192.0.2.1"))


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_reset_the_address_limit(anon_client, alice):
    for n in range(3):
        response = _sign_in(anon_client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.status_code == 200

    _assert_throttled(_sign_in(anon_client, HTTP_X_FORWARDED_FOR="198.51.100.7"))
    _assert_throttled(_register(anon_client, 1, HTTP_X_FORWARDED_FOR="198.51.100.8, 10.0.0.1"))


@pytest.mark.django_db
def test_the_address_limit_lifts_after_a_minute(anon_client, alice):
    with freeze_time("2026-11-24 09:00:00") as clock:
        for _ in range(3):
            _sign_in(anon_client)
        _assert_throttled(_sign_in(anon_client))

        clock.tick(61)

        assert _sign_in(anon_client).status_code == 200


@pytest.mark.django_db
def test_the_user_limit_is_per_user(alice_client, bob_client):
    answers = [alice_client.get(ME_URL).status_code for _ in range(3)]

    alice_throttled = alice_client.get(ME_URL)
    bob_answer = bob_client.get(ME_URL)

    assert answers == [200, 200, 200]
    _assert_throttled(alice_throttled)
    assert bob_answer.status_code == 200
    assert bob_answer.json()["username"] == "bob"


@pytest.mark.django_db
def test_the_user_limit_follows_the_user_across_addresses(alice_client):
    for n in range(3):
        assert alice_client.get(ME_URL, REMOTE_ADDR=f"192.0.2.{n}").status_code == 200

    _assert_throttled(alice_client.get(ME_URL, REMOTE_ADDR="192.0.2.99"))


@pytest.mark.django_db
def test_the_user_limit_counts_every_endpoint(alice_client):
    alice_client.get(ME_URL)
    alice_client.patch(ME_URL, {"currency": "EUR"})
    alice_client.post("/api/me/password/", {})

    _assert_throttled(alice_client.patch(ME_URL, {"currency": "GBP"}))
    assert User.objects.get(username="alice").currency == "EUR"


# RateLimit-* headers


@pytest.mark.django_db
def test_every_answer_to_a_signed_in_user_carries_ratelimit_headers(alice_client):
    answers = [alice_client.get(ME_URL) for _ in range(3)]

    assert [a["RateLimit-Limit"] for a in answers] == ["3", "3", "3"]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert all(0 < int(a["RateLimit-Reset"]) <= 60 for a in answers)


@pytest.mark.django_db
def test_error_answers_carry_ratelimit_headers_too(alice_client):
    not_found = alice_client.get("/api/expenses/999999/")
    invalid = alice_client.post("/api/expenses/", {"amount": "0"})
    throttled = [alice_client.get(ME_URL) for _ in range(2)][-1]

    assert not_found.status_code == 404
    assert not_found["RateLimit-Remaining"] == "2"
    assert invalid.status_code == 400
    assert invalid["RateLimit-Remaining"] == "1"
    _assert_throttled(throttled)
    assert throttled["RateLimit-Remaining"] == "0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/", 200), ("/api/health/", 200), ("/api/nothing-here/", 404), ("/api/expenses", 404)],
)
def test_the_open_endpoints_count_a_signed_in_caller_and_say_so(alice_client, path, status):
    """The index, health and unknown addresses need no one signed in; a signed-in caller is
    counted there as everywhere (the same window) and told so."""
    before = alice_client.get(ME_URL)
    answer = alice_client.get(path)

    assert answer.status_code == status
    assert answer["RateLimit-Limit"] == "3"
    assert answer["RateLimit-Remaining"] == str(int(before["RateLimit-Remaining"]) - 1)
    assert alice_client.get(path).status_code == status  # the third request of the minute
    _assert_throttled(alice_client.get(path))  # the fourth


@pytest.mark.django_db
def test_password_reset_counts_a_signed_in_caller_and_says_so(alice_client):
    """Open to anyone, like the index: a signed-in caller is counted and told; the answer is
    the same whatever the email (the user's own window, not the per-email limit)."""
    requested = alice_client.post("/api/password-reset/", {"email": "nobody@example.com"})
    confirmed = alice_client.post(
        "/api/password-reset/confirm/", {"uid": "x", "token": "y", "new_password": "n-3w-pass!"}
    )

    assert (requested.status_code, confirmed.status_code) == (202, 400)
    assert [requested["RateLimit-Remaining"], confirmed["RateLimit-Remaining"]] == ["2", "1"]
    assert "RateLimit-Limit" not in APIClient().post(
        "/api/password-reset/", {"email": "nobody@example.com"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/", "/api/health/", "/api/nothing-here/"])
def test_the_open_endpoints_count_no_one_else(anon_client, path):
    """Anonymous callers (a load balancer's health checks) and bad credentials: not counted,
    never a 401 where no sign-in is needed."""
    expected = 404 if "nothing" in path else 200
    anonymous = [anon_client.get(path) for _ in range(4)]
    stale = APIClient().get(path, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert [answer.status_code for answer in anonymous] == [expected] * 4
    assert stale.status_code == expected
    assert all("RateLimit-Limit" not in answer for answer in [*anonymous, stale])


@pytest.mark.django_db
def test_an_unknown_address_is_404_for_every_method(alice_client, settings):
    set_throttle_rates(settings, user="100/min")
    for method in ("get", "post", "put", "patch", "delete", "options"):
        response = getattr(alice_client, method)("/api/nothing-here/")
        assert_problem(response, 404)
        assert response.json()["detail"] == "No resource lives at this address."


# Failed sign-ins: per (username, address), and looser per username


@pytest.fixture
def login_failure_rate(settings: Settings) -> None:
    """Generous per-address limit; two failed sign-ins a minute per (username, address), four
    per username from any address."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "auth": "100/min",
            "user": "100/min",
            "login_failure": "2/min",
            "login_failure_username": "4/min",
        },
    }


def _fail(client: APIClient, username: object, address: str) -> HttpResponse:
    return client.post(
        TOKEN_URL, {"username": username, "password": "wrong-password-1"}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_username_and_address(
    anon_client, alice, login_failure_rate
):
    failures = [_fail(anon_client, "alice", "10.0.0.1").status_code for _ in range(2)]

    blocked = _sign_in(anon_client, REMOTE_ADDR="10.0.0.1")
    elsewhere = _sign_in(anon_client, REMOTE_ADDR="10.0.0.2")

    assert failures == [401, 401]
    _assert_throttled(blocked)
    assert elsewhere.status_code == 200  # the owner, from their own address, still gets in


@pytest.mark.django_db
def test_failed_sign_ins_spread_over_addresses_hit_the_per_username_limit(
    anon_client, alice, login_failure_rate
):
    failures = [_fail(anon_client, "alice", f"10.0.0.{n}").status_code for n in range(4)]

    blocked = _sign_in(anon_client, REMOTE_ADDR="10.0.0.9")

    assert failures == [401, 401, 401, 401]
    _assert_throttled(blocked)


@pytest.mark.django_db
def test_refused_attempts_do_not_eat_the_per_username_budget(
    anon_client, alice, login_failure_rate
):
    answers = [_fail(anon_client, "alice", "10.0.0.1").status_code for _ in range(6)]

    assert answers == [401, 401, 429, 429, 429, 429]
    assert _sign_in(anon_client, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_the_username_limit_ignores_case_and_spares_other_users(
    anon_client, alice, bob, login_failure_rate
):
    _fail(anon_client, "alice", "10.0.0.1")
    _fail(anon_client, "ALICE", "10.0.0.1")

    assert _sign_in(anon_client, "Alice", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert _sign_in(anon_client, "bob", REMOTE_ADDR="10.0.0.1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("look_alike", ["s\u0131s_x", "\u017fi\u017f_x", "SIS_X", "sis_x "])
def test_a_look_alike_username_shares_the_real_names_counter(
    anon_client, login_failure_rate, look_alike
):
    UserFactory(username="sis_x")
    _fail(anon_client, "sis_x", "10.0.0.1")
    _fail(anon_client, "sis_x", "10.0.0.1")

    response = _sign_in(anon_client, look_alike, REMOTE_ADDR="10.0.0.1")

    assert response.status_code in (401, 429)
    assert "access" not in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("username", [123456789012, ["alice"], {"u": 1}, True])
def test_a_username_that_is_not_a_string_is_400(anon_client, alice, username):
    response = _fail(anon_client, username, "10.0.0.1")

    assert_problem(response, 400, errors=["username"])


@pytest.mark.django_db
def test_every_failed_sign_in_429_has_a_retry_after(anon_client, alice, login_failure_rate):
    for _ in range(2):
        _fail(anon_client, "alice", "10.0.0.1")

    response = _fail(anon_client, "alice", "10.0.0.1")

    _assert_throttled(response)


@pytest.mark.django_db
def test_successful_sign_ins_do_not_count_against_the_username(
    anon_client, alice, login_failure_rate
):
    answers = [_sign_in(anon_client, REMOTE_ADDR="10.0.0.1").status_code for _ in range(6)]

    assert answers == [200] * 6


@pytest.mark.django_db
def test_the_username_limit_lifts_after_its_window(anon_client, alice, login_failure_rate):
    with freeze_time("2026-11-24T10:00:00Z"):
        _fail(anon_client, "alice", "10.0.0.1")
        _fail(anon_client, "alice", "10.0.0.1")
        assert _sign_in(anon_client, REMOTE_ADDR="10.0.0.1").status_code == 429
    with freeze_time("2026-11-24T10:01:01Z"):
        assert _sign_in(anon_client, REMOTE_ADDR="10.0.0.1").status_code == 200


# The counter is one atomic increment: concurrent guesses cannot all pass a check-then-count.


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_check_no_more_than_the_limit(login_failure_rate):
    UserFactory(username="carol")
    checked = []
    original = User.check_password

    def counting_check(self: User, raw_password: str) -> bool:
        checked.append(raw_password)
        time.sleep(0.05)  # keep the attempts overlapping
        return original(self, raw_password)

    def attempt(_: int) -> int:
        return _fail(APIClient(), "carol", "10.0.0.1").status_code

    with (
        mock.patch.object(User, "check_password", counting_check),
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        answers = sorted(pool.map(attempt, range(8)))

    assert len(checked) == 2
    assert answers == [401, 401] + [429] * 6


@pytest.mark.django_db
def test_a_request_inside_a_window_costs_one_cache_operation(alice_client):
    """The per-user limit counts with one atomic increment once its window exists; only the
    window's first request adds the counter."""
    from unittest import mock

    from django.core.cache import cache

    alice_client.get("/api/me/")  # opens the window
    with (
        mock.patch.object(cache, "incr", wraps=cache.incr) as incr,
        mock.patch.object(cache, "add", wraps=cache.add) as add,
    ):
        response = alice_client.get("/api/me/")

    assert response.status_code == 200
    assert incr.call_count == 1
    assert add.call_count == 0
