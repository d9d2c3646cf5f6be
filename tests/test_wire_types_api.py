"""Types on the wire, as the schema states them: text is a JSON string (a number, boolean or
null where text is expected is a 400 naming the field) and an amount has at most two decimal
places, whatever else is wrong with it."""

import json
from datetime import date
from decimal import Decimal

import pytest
from rest_framework import serializers

from fintrack.accounts.api import serializers as account_serializers
from fintrack.analytics.api import serializers as analytics_serializers
from fintrack.budgets.api import serializers as budget_serializers
from fintrack.core.fields import StrictTextMixin
from fintrack.goals.api import serializers as goal_serializers
from fintrack.imports.api import serializers as import_serializers
from fintrack.ledger.api import serializers as ledger_serializers
from fintrack.ledger.models import Entry
from fintrack.recurring.api import serializers as recurring_serializers
from fintrack.sync.api import serializers as sync_serializers
from fintrack.tokens.api import serializers as token_serializers

from .assertions import assert_problem
from .factories import GoalFactory

NOT_TEXT = [0, 12.5, True, None, ["Groceries"], {"name": "Groceries"}]


@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
@pytest.mark.parametrize("field", ["category", "description"])
def test_a_record_refuses_what_is_not_text(alice_client, field, value):
    body = {"amount": "42.10", "category": "Groceries", field: value}

    response = alice_client.post("/api/expenses/", body, format="json")

    problem = assert_problem(response, 400, errors=[field])
    assert Entry.objects.count() == 0
    if value is not None:
        assert problem["errors"][field] == ["Not a valid string: send text in quotes."]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/categories/", {"name": 7, "kind": "expense"}, "name"),
        ("/api/goals/", {"name": 2027, "target_amount": "1500.00"}, "name"),
        ("/api/me/password/", {"old_password": 1234, "new_password": "x"}, "old_password"),
        ("/api/me/delete/", {"password": 12345678}, "password"),
        ("/api/logout/", {"refresh": 1}, "refresh"),
    ],
)
def test_every_form_refuses_a_number_for_text(alice_client, path, body, field):
    response = alice_client.post(path, body, format="json")

    problem = assert_problem(response, 400, errors=response.json().get("errors", ["?"]))
    assert field in problem["errors"]


def test_a_contribution_note_must_be_text(alice_client, alice):
    goal = GoalFactory(user=alice)

    response = alice_client.post(
        f"/api/goals/{goal.pk}/contributions/", {"amount": "10.00", "note": 5}, format="json"
    )

    assert_problem(response, 400, errors=["note"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/register/",
            {"username": 42, "email": "a@example.com", "password": "pw"},
            "username",
        ),
        ("/api/register/", {"username": "ann", "email": 42, "password": "pw"}, "email"),
        ("/api/token/", {"username": 42, "password": "correct-horse-99"}, "username"),
        ("/api/token/", {"username": "alice", "password": 12345678}, "password"),
        ("/api/token/refresh/", {"refresh": 123}, "refresh"),
    ],
)
def test_sign_up_and_sign_in_refuse_a_number_for_text(anon_client, path, body, field):
    response = anon_client.post(path, body, format="json")

    problem = assert_problem(response, 400, errors=response.json().get("errors", ["?"]))
    assert field in problem["errors"]


def test_text_sent_as_text_is_still_read(alice_client):
    body = {"amount": "42.10", "category": "0", "description": "0"}

    response = alice_client.post("/api/expenses/", body, format="json")

    assert response.status_code == 201
    assert response.json()["category"] == "0"
    assert response.json()["description"] == "0"


def _serializer_classes():
    modules = [
        account_serializers,
        analytics_serializers,
        budget_serializers,
        goal_serializers,
        import_serializers,
        ledger_serializers,
        recurring_serializers,
        token_serializers,
        sync_serializers,
    ]
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == module.__name__
                # Documents an error answer's shape; never reads a request.
                and not value.__name__.endswith("ProblemSerializer")
            ):
                yield value


@pytest.mark.django_db
def test_every_text_field_of_every_serializer_is_strict():
    checked = 0
    for serializer_class in _serializer_classes():
        for name, field in serializer_class().fields.items():
            if isinstance(field, serializers.CharField) and not field.read_only:
                query = serializer_class.__name__.endswith("QuerySerializer")
                assert query or isinstance(field, StrictTextMixin), (serializer_class, name)
                checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0.30000000000000004", "An amount has at most two decimal places (whole cents)."),
        ("12.345", "An amount has at most two decimal places (whole cents)."),
        ("12345678901.5", "An amount has at most 10 digits before the decimal point."),
        ('"0.001"', "An amount has at most two decimal places (whole cents)."),
    ],
)
def test_an_amount_error_says_what_is_wrong(alice_client, raw, message):
    # Sent as raw JSON: 0.1 + 0.2 as a JavaScript or Python client computes it.
    body = '{"amount": ' + raw + ', "category": "Groceries"}'

    response = alice_client.post("/api/expenses/", body, content_type="application/json")

    problem = assert_problem(response, 400, errors=["amount"])
    assert problem["errors"]["amount"] == [message]


def test_a_float_sum_is_refused_and_its_cents_accepted(alice_client):
    float_sum = json.dumps({"amount": 0.1 + 0.2})
    cents = json.dumps({"amount": 0.3})

    refused = alice_client.post("/api/expenses/", float_sum, content_type="application/json")
    accepted = alice_client.post("/api/expenses/", cents, content_type="application/json")

    assert_problem(refused, 400, errors=["amount"])
    assert accepted.status_code == 201
    assert accepted.json()["amount"] == "0.30"
    assert Entry.objects.get().amount == Decimal("0.30")


def test_a_contribution_amount_error_says_what_is_wrong(alice_client, alice):
    goal = GoalFactory(user=alice)
    body = '{"amount": -0.30000000000000004}'

    response = alice_client.post(
        f"/api/goals/{goal.pk}/contributions/", body, content_type="application/json"
    )

    problem = assert_problem(response, 400, errors=["amount"])
    assert problem["errors"]["amount"] == [
        "An amount has at most two decimal places (whole cents)."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_a_boolean_field_takes_only_json_true_or_false(alice_client, value):
    """rollover and active are booleans in the schema: 0, 1 and strings are refused."""
    budget = alice_client.post(
        "/api/budgets/",
        {"category": "Groceries", "amount": "400.00", "start_month": "2026-01", "rollover": value},
        format="json",
    )
    rule = alice_client.post(
        "/api/recurring/",
        {
            "kind": "expense",
            "amount": "950.00",
            "frequency": "monthly",
            "start_date": str(date.today()),
            "active": value,
        },
        format="json",
    )

    assert_problem(budget, 400, errors={"rollover"})
    assert_problem(rule, 400, errors={"active"})
