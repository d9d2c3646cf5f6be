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

from .assertions import assert_unauthorized
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

    assert entry["pattern"] == r"^\d{1,10}\.\d{2}$"
    assert contribution["pattern"] == r"^-?\d{1,10}\.\d{2}$"


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
