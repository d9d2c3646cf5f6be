"""What the Postman run and schemathesis found, kept found: one test per finding.

The fuzzer itself runs in CI against the live server (scripts/e2e.sh); these pin down its
findings in the suite, where they run on every `make test`.
"""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from fintrack.core.fields import AmountField, SignedAmountField, amount_schema

from .assertions import assert_problem, assert_unauthorized
from .factories import EntryFactory

SCHEMA_URL = "/api/schema/?format=json"


@pytest.fixture
def schema(anon_client: APIClient) -> dict:
    return anon_client.get(SCHEMA_URL).json()


def _request_amount(schema: dict, component: str) -> dict:
    return schema["components"]["schemas"][component]["properties"]["amount"]


# A deleted account's access token named the generic problem type, not simplejwt's reason.


@pytest.mark.django_db
def test_a_deleted_accounts_token_is_401_user_not_found(alice, alice_client):
    alice.delete()

    body = assert_unauthorized(alice_client.get("/api/me/"))

    assert body["type"] == "urn:fintrack:problem:user-not-found"


@pytest.mark.django_db
def test_a_forged_token_is_still_401_token_not_valid(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    body = assert_unauthorized(anon_client.get("/api/me/"))

    assert body["type"] == "urn:fintrack:problem:token-not-valid"


# `?category=` was a 400 ("This field is required.") where every other empty parameter is no
# filter at all.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/incomes/", "/api/expenses/"])
def test_an_empty_category_parameter_is_no_filter(alice, alice_client, path):
    kind = "income" if "incomes" in path else "expense"
    EntryFactory(user=alice, kind=kind, amount=Decimal("12.50"))
    EntryFactory(user=alice, kind=kind, amount=Decimal("7.25"))

    everything = alice_client.get(path, {"category": ""})
    blank_and_named = alice_client.get(path, {"category": ["", "  "]})

    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    assert everything.json()["total_amount"] == "19.75"
    assert blank_and_named.json()["count"] == 2


# The schema let pass what the API refuses: page 0, a blank or negative amount, month 13.


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/incomes/", "/api/categories/", "/api/goals/"])
def test_pages_and_page_sizes_start_at_1_in_the_schema(schema, path):
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["minimum"] == 1


@pytest.mark.django_db
def test_month_parameters_are_documented_as_yyyy_mm(schema):
    months = [
        next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        for path, name in [
            ("/api/incomes/", "month"),
            ("/api/summary/", "month"),
            ("/api/summary/trends/", "end"),
        ]
    ]

    for parameter in months:
        pattern = parameter["schema"]["pattern"]
        assert re.search(pattern, "2026-11")
        for wrong in ("2026-13", "2026-00", "0", "2026-1", ""):
            assert not re.search(pattern, wrong), wrong


@pytest.mark.django_db
def test_request_amounts_are_a_nonzero_string_or_a_number(schema):
    record = _request_amount(schema, "EntryInputRequest")
    string, number = record["oneOf"]

    assert number == {"type": "number", "minimum": 0.01, "maximum": 9999999999.99}
    for accepted in ("12.50", "12.5", "12", "0.01", ".5", "9999999999.99"):
        assert re.search(string["pattern"], accepted), accepted
    for refused in ("", "-1.00", "0", "0.00", "1.234", "12345678901", "1e3", "NaN"):
        assert not re.search(string["pattern"], refused), refused
    contribution = _request_amount(schema, "ContributionRequest")["oneOf"][0]["pattern"]
    assert re.search(contribution, "-50.00")
    assert not re.search(contribution, "-0.00")


@pytest.mark.django_db
def test_answered_amounts_are_two_decimal_strings_in_the_schema(schema):
    entry = schema["components"]["schemas"]["Entry"]["properties"]["amount"]
    contribution = schema["components"]["schemas"]["Contribution"]["properties"]["amount"]

    # [0-9], not \d: a Python-side reader of the pattern (hypothesis) takes \d as any digit.
    assert entry["pattern"] == r"^[0-9]{1,10}\.[0-9]{2}$"
    assert contribution["pattern"] == r"^-?[0-9]{1,10}\.[0-9]{2}$"


def _documented_amount(signed: bool) -> str:
    return amount_schema("request", signed=signed)["oneOf"][0]["pattern"]


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(_documented_amount(signed=False), fullmatch=True))
def test_every_amount_the_schema_documents_is_accepted(text):
    field = AmountField()

    assert field.run_validation(text) == Decimal(text)


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(_documented_amount(signed=True), fullmatch=True))
def test_every_contribution_amount_the_schema_documents_is_accepted(text):
    field = SignedAmountField()

    assert field.run_validation(text) == Decimal(text)


# Amounts read by Python's Decimal(): "1_000" became 1000.00 and fullwidth or Arabic-Indic
# digits became 5.00. Dates read by fromisoformat(): an ISO week was a day.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount",
    ["1_000", "\uff15", "\u0665", "1\u00a0000", "+5", "5e2", "1e2", "0x10", "1,50", " 5", "५"],
)
@pytest.mark.parametrize(
    ("path", "extra"),
    [("/api/expenses/", {}), ("/api/incomes/", {}), ("/api/goals/", {"name": "Bike"})],
)
def test_an_amount_that_is_not_ascii_digits_is_400(alice, alice_client, path, extra, amount):
    field = "target_amount" if "goals" in path else "amount"

    response = alice_client.post(path, {**extra, field: amount})

    assert_problem(response, 400, errors=[field])


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["5", "5.5", "5.50", ".5", "1000", 5, Decimal("5.25")])
def test_plain_amounts_and_json_numbers_are_still_accepted(alice, alice_client, amount):
    response = alice_client.post("/api/expenses/", {"amount": amount})

    assert response.status_code == 201, response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        "2025-W01",
        "2025-W01-1",
        "20250101",
        "2025-001",
        "２０２５-01-01",
        "2025-1-1",
        "2025-01-01T00:00",
    ],
)
def test_a_date_that_is_not_yyyy_mm_dd_is_400(alice, alice_client, day):
    response = alice_client.post("/api/expenses/", {"amount": "1.00", "date": day})

    assert_problem(response, 400, errors=["date"])


@pytest.mark.django_db
def test_a_contribution_date_and_a_goal_target_date_are_yyyy_mm_dd_only(alice, alice_client):
    goal = alice_client.post("/api/goals/", {"name": "Bike", "target_amount": "10.00"}).json()

    bad_goal = alice_client.post(
        "/api/goals/", {"name": "Car", "target_amount": "10.00", "target_date": "2030-W01"}
    )
    bad_contribution = alice_client.post(
        f"/api/goals/{goal['id']}/contributions/", {"amount": "1.00", "date": "2025-W01"}
    )

    assert_problem(bad_goal, 400, errors=["target_date"])
    assert_problem(bad_contribution, 400, errors=["date"])
