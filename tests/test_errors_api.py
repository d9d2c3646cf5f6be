"""The RFC 9457 promise across the API: every error a client can provoke is problem+json."""

import json
from unittest import mock

import pytest
from django.http import HttpResponse
from pytest_django import Settings
from rest_framework.test import APIClient

from fintrack.accounts.models import User

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD, GoalFactory

ONE_MIB = 1024 * 1024
ANONYMOUS_POSTS = ["/api/register/", "/api/token/", "/api/token/refresh/"]
SIGNED_IN_POSTS = ["/api/logout/", "/api/me/delete/", "/api/me/password/"]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest, settings: Settings) -> bool:
    """Run the test with DEBUG off and on: Django's HTML debug pages must never leak out."""
    settings.DEBUG = request.param
    return request.param


def _assert_not_html(response: HttpResponse) -> None:
    text = response.content.decode().lower()
    assert "<html" not in text
    assert "<!doctype" not in text
    assert "traceback" not in text


# Unknown addresses


@pytest.mark.django_db
# `/` and `/api/` answer (a redirect, the index): tests/test_index_api.py.
@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/static/x.js", "/static/x.js"])
def test_unknown_url_is_404_problem(anon_client, debug, path):
    response = anon_client.get(path)

    body = assert_problem(response, 404)
    assert body["detail"] == "No resource lives at this address."
    _assert_not_html(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nothing/", "/admin/", "/apix/"])
def test_unknown_url_outside_api_is_a_plain_404_without_a_trace(anon_client, debug, path):
    """Pages outside /api/ (and /static/) are the web app's: Django's own 404 page, never
    problem+json."""
    response = anon_client.get(path)

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/problem+json")
    assert "traceback" not in response.content.decode().lower()


@pytest.mark.django_db
def test_unknown_url_is_404_problem_for_a_signed_in_user_and_any_method(alice_client, debug):
    response = alice_client.post("/api/nothing-here/", {"a": 1})

    assert_problem(response, 404)
    _assert_not_html(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/me"),
        ("get", "/api/health"),
        ("post", "/api/register"),
        ("post", "/api/token"),
        ("patch", "/api/me"),
    ],
)
def test_path_without_trailing_slash_is_404_not_a_redirect(alice_client, debug, method, path):
    response = getattr(alice_client, method)(path, {"username": "x"})

    assert_problem(response, 404)
    assert "Location" not in response
    _assert_not_html(response)


# Bodies that are not acceptable JSON


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"username": "carol",}',
        b"{'username': 'carol'}",
        b"\xff\xfe\x00",
        b'{"username": "carol" "email": "x"}',
    ],
    ids=["unclosed", "trailing-comma", "single-quotes", "not-utf8", "missing-comma"],
)
def test_malformed_json_is_400(anon_client, debug, raw):
    response = anon_client.post("/api/register/", raw, content_type="application/json")

    body = assert_problem(response, 400)
    assert body["detail"].startswith("JSON parse error")
    _assert_not_html(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_malformed_json_is_400_for_a_signed_in_user(alice, alice_client):
    response = alice_client.patch("/api/me/", b'{"currency": ', content_type="application/json")

    assert_problem(response, 400)
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_with_a_non_finite_number_literal_is_400(alice, alice_client, literal):
    raw = f'{{"currency": "EUR", "amount": {literal}}}'.encode()

    response = alice_client.patch("/api/me/", raw, content_type="application/json")

    assert_problem(response, 400)
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "[" * 5000 + "]" * 5000,
        '{"a": ' * 40 + "1" + "}" * 40,
        '{"username": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
    ids=["5000-arrays", "40-objects", "100000-arrays-in-a-field"],
)
def test_deeply_nested_json_is_400(anon_client, debug, raw):
    response = anon_client.post("/api/register/", raw.encode(), content_type="application/json")

    body = assert_problem(response, 400)
    assert "nested" in body["detail"]
    _assert_not_html(response)


@pytest.mark.django_db
def test_shallow_nesting_inside_a_field_is_a_field_error_not_a_parse_error(anon_client):
    payload = {"username": [[["carol"]]], "email": "carol@example.com", "password": "x" * 20}

    response = anon_client.post("/api/register/", payload)

    assert_problem(response, 400, errors=["username"])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_POSTS + SIGNED_IN_POSTS)
@pytest.mark.parametrize(
    "raw", [b"[]", b'"text"', b"42", b"null", b"true", b"[{}]"], ids=lambda raw: raw.decode()
)
def test_a_json_body_that_is_not_an_object_is_400(alice_client, path, raw):
    response = alice_client.post(path, raw, content_type="application/json")

    body = assert_problem(response, 400, errors=["non_field_errors"])
    assert body["type"] == "urn:fintrack:problem:validation-error"


@pytest.mark.django_db
def test_patch_me_with_a_body_that_is_not_an_object_is_400(alice_client):
    response = alice_client.patch("/api/me/", b"[1, 2]", content_type="application/json")

    assert_problem(response, 400, errors=["non_field_errors"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/register/", {"username": "car\u0000ol", "email": "c@example.com"}, "username"),
        ("/api/register/", {"username": "carol", "email": "c\u0000@example.com"}, "email"),
        ("/api/token/", {"username": "ali\u0000ce", "password": DEFAULT_PASSWORD}, "username"),
        ("/api/token/", {"username": {"$ne": ""}, "password": DEFAULT_PASSWORD}, "username"),
        ("/api/token/refresh/", {"refresh": ["a", "b"]}, "refresh"),
        ("/api/token/refresh/", {"refresh": "a\u0000b"}, "refresh"),
    ],
    ids=[
        "register-nul-username",
        "register-nul-email",
        "token-nul-username",
        "token-object-username",
        "refresh-list",
        "refresh-nul",
    ],
)
def test_hostile_field_values_are_400_naming_the_field(alice, anon_client, path, payload, field):
    payload = {"password": "violet-lantern-staircase-42", **payload}

    response = anon_client.post(path, payload)

    assert_problem(response, 400, errors=[field])


SURROGATE = "\ud83d"  # half of a UTF-16 pair: valid in JSON, not encodable as UTF-8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "payload", "field"),
    [
        (
            "post",
            "/api/register/",
            {"username": f"a{SURROGATE}", "email": "c@example.com"},
            "username",
        ),
        ("post", "/api/register/", {"username": "carol", "email": f"c{SURROGATE}@x.com"}, "email"),
        (
            "post",
            "/api/register/",
            {"username": "carol", "email": "c@example.com", "password": f"v-l-s-42{SURROGATE}"},
            "password",
        ),
        ("post", "/api/token/", {"username": f"alice{SURROGATE}"}, "username"),
        ("post", "/api/token/", {"username": "alice", "password": f"x{SURROGATE}"}, "password"),
        ("post", "/api/token/refresh/", {"refresh": f"x{SURROGATE}"}, "refresh"),
        ("patch", "/api/me/", {"email": f"a{SURROGATE}@example.com"}, "email"),
        ("post", "/api/me/delete/", {"password": f"x{SURROGATE}"}, "password"),
        ("post", "/api/logout/", {"refresh": f"x{SURROGATE}"}, "refresh"),
    ],
)
def test_a_lone_surrogate_in_a_string_is_400_naming_the_field(
    alice_client, method, path, payload, field
):
    payload = {"password": "violet-lantern-staircase-42", **payload}
    raw = json.dumps(payload).encode()  # ASCII, the surrogate written as an escape

    # No database driver or password hasher can encode it: it must never reach one.
    response = getattr(alice_client, method)(path, raw, content_type="application/json")

    assert_problem(response, 400, errors=[field])


# Body size and type


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/register/", "/api/token/"])
def test_body_over_1_mib_is_413(anon_client, debug, path):
    raw = json.dumps({"username": "a" * ONE_MIB, "password": "x"}).encode()

    response = anon_client.post(path, raw, content_type="application/json")

    body = assert_problem(response, 413)
    assert body["detail"] == "The request body is larger than 1 MiB."
    assert not User.objects.exists()


@pytest.mark.django_db
def test_body_over_1_mib_is_413_for_a_signed_in_user(alice, alice_client):
    raw = json.dumps({"currency": "EUR", "padding": "a" * ONE_MIB}).encode()

    response = alice_client.patch("/api/me/", raw, content_type="application/json")

    assert_problem(response, 413)
    alice.refresh_from_db()
    assert alice.currency == "USD"
    # Refused before any view, and still counted and told, as every answer to a signed-in user.
    after = alice_client.get("/api/me/")
    assert int(response["RateLimit-Remaining"]) == int(after["RateLimit-Remaining"]) + 1
    assert response["RateLimit-Limit"] == after["RateLimit-Limit"]


@pytest.mark.django_db
def test_a_chunked_body_is_411_not_taken_for_no_body(alice, alice_client):
    """Django reads a body by its Content-Length: a chunked PATCH answered 200, unchanged."""
    response = alice_client.patch(
        "/api/me/", {"currency": "GBP"}, format="json", HTTP_TRANSFER_ENCODING="chunked"
    )

    body = assert_problem(response, 411)
    assert body["type"] == "urn:fintrack:problem:length-required"
    assert "RateLimit-Remaining" in response
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
def test_body_over_1_mib_is_413_without_rate_limit_headers_for_anyone_else(anon_client):
    raw = json.dumps({"padding": "a" * ONE_MIB}).encode()

    response = anon_client.post(
        "/api/expenses/", raw, content_type="application/json", HTTP_AUTHORIZATION="Bearer bad"
    )

    assert_problem(response, 413)
    assert "RateLimit-Limit" not in response


@pytest.mark.django_db
@pytest.mark.urls("tests.body_limit_urls")
def test_a_view_declaring_a_larger_limit_takes_a_body_over_1_mib(anon_client):
    raw = b"date,amount\n" + b"2026-01-01,1.00\n" * (ONE_MIB // 8)
    assert ONE_MIB < len(raw) < 10 * ONE_MIB

    response = anon_client.post("/api/test-upload/", raw, content_type="text/csv")

    assert response.status_code == 200, response.content
    assert response.json() == {"bytes": len(raw)}


@pytest.mark.django_db
@pytest.mark.urls("tests.body_limit_urls")
def test_a_view_declaring_a_larger_limit_refuses_a_body_over_it(anon_client):
    raw = b"a" * (10 * ONE_MIB + 1)

    response = anon_client.post("/api/test-upload/", raw, content_type="text/csv")

    body = assert_problem(response, 413)
    assert body["detail"] == "The request body is larger than 10 MiB."


@pytest.mark.django_db
@pytest.mark.urls("tests.body_limit_urls")
@pytest.mark.parametrize("path", ["/api/register/", "/api/token/", "/api/health/"])
def test_beside_a_larger_limit_every_other_view_still_refuses_over_1_mib(anon_client, path):
    raw = json.dumps({"username": "a" * ONE_MIB, "password": "x"}).encode()

    response = anon_client.post(path, raw, content_type="application/json")

    body = assert_problem(response, 413)
    assert body["detail"] == "The request body is larger than 1 MiB."
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls("tests.body_limit_urls")
def test_a_page_outside_api_refuses_a_body_over_1_mib_without_problem_json(anon_client):
    response = anon_client.post("/app/", b"a" * (ONE_MIB + 1), content_type="text/plain")

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"The request body is larger than 1 MiB."


@pytest.mark.django_db
@pytest.mark.urls("tests.body_limit_urls")
@pytest.mark.parametrize(
    ("path", "status"), [("/app/", 200), ("/app/bad/", 400), ("/app/missing/", 404)]
)
def test_pages_outside_api_keep_their_own_answers(anon_client, debug, path, status):
    response = anon_client.get(path)

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert "traceback" not in response.content.decode().lower()


@pytest.mark.django_db
def test_body_of_exactly_1_mib_is_not_refused_for_its_size(anon_client):
    envelope = json.dumps({"username": "", "email": "carol@example.com", "password": "x"})
    filler = "a" * (ONE_MIB - len(envelope.encode()))
    raw = envelope.replace('"username": ""', f'"username": "{filler}"').encode()
    assert len(raw) == ONE_MIB

    response = anon_client.post("/api/register/", raw, content_type="application/json")

    # Read and judged on its merits: the username is far over 150 characters.
    body = assert_problem(response, 400, errors=["username"])
    assert body["errors"]["username"] == ["Ensure this field has no more than 150 characters."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("text/plain", b"username=carol"),
        ("application/x-www-form-urlencoded", b"username=carol&password=x"),
        ("multipart/form-data; boundary=xyz", b"--xyz--\r\n"),
        ("application/xml", b"<user/>"),
    ],
)
def test_a_body_that_is_not_json_is_415(anon_client, debug, content_type, raw):
    response = anon_client.post("/api/register/", raw, content_type=content_type)

    body = assert_problem(response, 415)
    assert content_type.split(";")[0] in body["detail"]
    _assert_not_html(response)


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_415_for_a_signed_in_user(alice, alice_client):
    response = alice_client.patch("/api/me/", b"currency=EUR", content_type="text/plain")

    assert_problem(response, 415)
    alice.refresh_from_db()
    assert alice.currency == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["abc", "1.5", "1e3", "-1", "0x10"])
def test_a_bad_content_length_header_is_400(anon_client, debug, length):
    response = anon_client.generic(
        "POST",
        "/api/register/",
        b'{"username": "carol"}',
        content_type="application/json",
        CONTENT_LENGTH=length,
    )

    assert_problem(response, 400)
    _assert_not_html(response)
    assert not User.objects.exists()


# Content negotiation: one representation, never a 404 or 406 decided before authentication


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"QUERY_STRING": "format=xml"},
        {"QUERY_STRING": "format=api"},
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_ACCEPT": "application/problem+json"},
    ],
    ids=["format=xml", "format=api", "accept-html", "accept-problem"],
)
def test_any_format_or_accept_gets_json(alice_client, anon_client, headers):
    query = headers.get("QUERY_STRING", "")
    extra = {k: v for k, v in headers.items() if k != "QUERY_STRING"}
    url = "/api/expenses/" + (f"?{query}" if query else "")

    signed_in = alice_client.get(url, **extra)
    anonymous = anon_client.get(url, **extra)

    assert signed_in.status_code == 200, signed_in.content
    assert signed_in["Content-Type"] == "application/json"
    assert signed_in.json()["count"] == 0
    assert "RateLimit-Remaining" in signed_in
    assert_unauthorized(anonymous)


@pytest.mark.django_db
def test_the_schema_still_answers_the_format_it_is_asked_for(anon_client):
    assert anon_client.get("/api/schema/?format=json")["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    assert anon_client.get("/api/schema/?format=xml")["Content-Type"].startswith(
        "application/vnd.oai.openapi"
    )


# The redirect to HTTPS (production's SECURE_SSL_REDIRECT)


@pytest.mark.django_db
def test_the_https_redirect_of_a_request_with_a_body_is_a_308(alice_client, settings):
    """A client follows a 301 with a GET and no body: a POST over plain HTTP was lost."""
    settings.SECURE_SSL_REDIRECT = True

    posted = alice_client.post("/api/expenses/", {"amount": "1.00"}, format="json")
    read = alice_client.get("/api/expenses/")

    assert posted.status_code == 308
    assert posted["Location"] == "https://testserver/api/expenses/"
    assert read.status_code == 301
    assert read["Location"] == "https://testserver/api/expenses/"


# Methods


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/api/register/", "POST"),
        ("put", "/api/token/", "POST"),
        ("delete", "/api/token/refresh/", "POST"),
        ("post", "/api/health/", "GET"),
        ("delete", "/api/me/", "GET"),
    ],
)
def test_wrong_method_is_405_with_an_allow_header(alice_client, debug, method, path, allowed):
    response = getattr(alice_client, method)(path)

    assert_problem(response, 405)
    assert allowed in {name.strip() for name in response["Allow"].split(",")}
    assert method.upper() not in response["Allow"]


# Unexpected failures


@pytest.mark.django_db
def test_an_unexpected_exception_in_a_view_is_500_problem_without_details(alice, debug):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)

    with mock.patch(
        "fintrack.accounts.api.views.MeView.get", side_effect=RuntimeError("secret detail")
    ):
        response = client.get("/api/me/")

    body = assert_problem(response, 500)
    assert body["detail"] == "An unexpected error occurred. It has been logged."
    text = response.content.decode()
    assert "secret detail" not in text
    assert "RuntimeError" not in text
    _assert_not_html(response)


@pytest.mark.django_db
def test_an_unexpected_exception_in_a_write_rolls_it_back(alice, alice_client):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)

    with mock.patch(
        "fintrack.accounts.services.refresh_tokens_revoke",
        side_effect=RuntimeError("secret detail"),
    ):
        response = client.post("/api/me/delete/", {"password": DEFAULT_PASSWORD})

    assert_problem(response, 500)
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_an_unexpected_exception_outside_drf_is_500_problem_without_details(alice, debug):
    client = APIClient(raise_request_exception=False)

    with mock.patch(
        "django.middleware.common.CommonMiddleware.process_request",
        side_effect=RuntimeError("secret detail"),
    ):
        response = client.get("/api/health/")

    body = assert_problem(response, 500)
    assert body["detail"] == "An unexpected error occurred. It has been logged."
    assert "secret detail" not in response.content.decode()
    _assert_not_html(response)


@pytest.mark.django_db
def test_a_request_for_a_disallowed_host_is_400_problem(anon_client, debug):
    response = anon_client.get("/api/health/", HTTP_HOST="evil.example.com")

    assert_problem(response, 400)
    _assert_not_html(response)
    assert "evil.example.com" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError"])
def test_a_database_outage_is_a_retryable_503_problem(alice, debug, error):
    from django import db

    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)
    failure = getattr(db, error)("server closed the connection unexpectedly")
    with mock.patch("fintrack.accounts.api.views.MeView.get", side_effect=failure):
        response = client.get("/api/me/")

    body = assert_problem(response, 503)
    assert body["type"] == "urn:fintrack:problem:service-unavailable"
    assert response["Retry-After"] == "5"
    assert "server closed" not in response.content.decode()


# Ids no row can hold (beyond a 64-bit integer): SQLite raised OverflowError, a 500.

HUGE_ID = "564588671097824773280965773492224"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/api/expenses/{HUGE_ID}/",
        f"/api/incomes/{HUGE_ID}/",
        f"/api/categories/{HUGE_ID}/",
        f"/api/goals/{HUGE_ID}/",
        f"/api/goals/{HUGE_ID}/contributions/",
        f"/api/goals/{HUGE_ID}/contributions/30/",
        "/api/goals/1/contributions/" + HUGE_ID + "/",
        "/api/goals/9223372036854775808/contributions/1/",
        "/api/goals/0/contributions/",
    ],
)
@pytest.mark.parametrize("method", ["get", "delete", "post", "patch"])
def test_an_id_no_row_can_hold_is_404_in_every_position(alice, alice_client, path, method):
    goal = GoalFactory(user=alice)
    path = path.replace("/goals/1/", f"/goals/{goal.pk}/")

    response = getattr(alice_client, method)(path, {})

    assert_problem(response, 404)


@pytest.mark.django_db
def test_the_largest_id_a_row_can_hold_is_a_plain_404(alice_client):
    response = alice_client.get("/api/goals/9223372036854775807/contributions/1/")

    assert_problem(response, 404)


# Too many query parameters: Django's TooManyFieldsSent escaped as a 500 logged at ERROR.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health/", "/api/expenses/", "/api/me/", "/api/nothing/"])
def test_too_many_query_parameters_is_400_logged_as_a_warning(
    anon_client, alice_client, debug, path, caplog
):
    query = "&".join(["f"] * 1100)

    with caplog.at_level("INFO"):
        anonymous = anon_client.get(f"{path}?{query}")
        signed_in = alice_client.get(f"{path}?{query}")

    for response in (anonymous, signed_in):
        body = assert_problem(response, 400)
        assert body["type"] == "urn:fintrack:problem:too-many-parameters"
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.django_db
def test_a_thousand_query_parameters_are_still_served(alice_client):
    response = alice_client.get("/api/expenses/?" + "&".join(["f"] * 999))

    assert response.status_code == 200


# JSON is one object per key, in UTF-8.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/expenses/", "/api/categories/", "/api/goals/"])
def test_a_json_object_with_a_repeated_key_is_400(alice_client, path):
    raw = (
        '{"amount": "1.00", "amount": "900.00", "name": "x", "name": "y", '
        '"kind": "expense", "target_amount": "5"}'
    )

    response = alice_client.post(path, raw, content_type="application/json")

    body = assert_problem(response, 400)
    assert "more than once" in body["detail"]


@pytest.mark.django_db
def test_a_repeated_key_deep_inside_is_400_too(anon_client):
    raw = '{"username": "a", "password": "b", "x": {"k": 1, "k": 2}}'

    assert_problem(anon_client.post("/api/token/", raw, content_type="application/json"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "utf-16", "nonsense"])
def test_json_in_a_charset_other_than_utf_8_is_415(alice, alice_client, charset):
    response = alice_client.post(
        "/api/expenses/",
        b'{"amount": "1.00"}',
        content_type=f"application/json; charset={charset}",
    )

    assert_problem(response, 415)


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_json_labelled_utf_8_is_read(alice, alice_client, charset):
    response = alice_client.post(
        "/api/expenses/", b'{"amount": "1.00"}', content_type=f"application/json; charset={charset}"
    )

    assert response.status_code == 201


# The development server's static files: a missing one is a problem, not Django's debug page.


def test_a_missing_static_file_under_the_development_server_is_a_404_problem(settings):
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from fintrack.core.management.commands.runserver import Command, ProblemStaticFilesHandler

    settings.DEBUG = True
    handler = Command().get_handler(use_static_handler=True, insecure_serving=False)
    request = RequestFactory().get("/static/x.js")

    response = handler.get_response(request)

    assert isinstance(handler, ProblemStaticFilesHandler)
    assert isinstance(handler.application, WSGIHandler)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 404
    _assert_not_html(response)


def test_an_existing_static_file_is_still_served_by_the_development_server(settings):
    from django.test import RequestFactory

    from fintrack.core.management.commands.runserver import Command

    settings.DEBUG = True
    handler = Command().get_handler(use_static_handler=True, insecure_serving=False)

    response = handler.get_response(
        RequestFactory().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
    )

    assert response.status_code == 200
