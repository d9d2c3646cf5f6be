"""GET /api/summary/trends/."""

from datetime import date

import pytest
from freezegun import freeze_time

from .analytics_data import (
    MAX_CENTS,
    Ledger,
    Record,
    random_ledger,
    seed_ledger,
    trends_payload,
)
from .assertions import assert_problem, assert_unauthorized
from .conftest import client_for

TRENDS_URL = "/api/summary/trends/"
SEED = 20261124
MAX_QUERIES = 6

EMPTY_MONTH = {
    "total_income": "0.00",
    "total_expenses": "0.00",
    "net": "0.00",
    "savings_rate": None,
}


@pytest.fixture
def ledger(alice, bob) -> Ledger:
    """14 months of Alice's records, October 2025 to November 2026, and Bob's."""
    generated = random_ledger(
        SEED,
        first=date(2025, 10, 1),
        last=date(2026, 11, 30),
        records={"alice": 900, "bob": 300},
        movements={},
    )
    seed_ledger(generated, {"alice": alice, "bob": bob})
    return generated


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "months"),
    [
        ((2026, 11), 14),  # exactly the data set
        ((2026, 11), 18),  # four empty months first
        ((2026, 2), 4),  # November 2025 to February 2026, across a new year
        ((2027, 3), 6),  # empty months last
        ((2026, 11), 60),
        ((2026, 6), 1),
    ],
)
def test_trends_match_an_independent_computation_month_by_month(alice_client, ledger, end, months):
    expected = trends_payload(ledger, "alice", end, months)

    response = alice_client.get(TRENDS_URL, {"end": f"{end[0]:04d}-{end[1]:02d}", "months": months})

    assert response.status_code == 200
    assert response.json() == expected
    assert len(response.json()["months"]) == months


@pytest.mark.django_db
def test_bob_sees_only_his_own_months(bob_client, ledger):
    response = bob_client.get(TRENDS_URL, {"end": "2026-11", "months": 14})

    assert response.status_code == 200
    assert response.json() == trends_payload(ledger, "bob", (2026, 11), 14)
    assert response.json() != trends_payload(ledger, "alice", (2026, 11), 14)


@pytest.mark.django_db
def test_other_users_records_never_count(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(Record("bob", "income", "Salary", 500_000, date(2026, 3, 10)),), movements=()
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(TRENDS_URL, {"end": "2026-03", "months": 2})

    assert response.status_code == 200
    assert response.json() == {
        "currency": "USD",
        "months": [{"month": "2026-02", **EMPTY_MONTH}, {"month": "2026-03", **EMPTY_MONTH}],
    }


@pytest.mark.django_db
def test_default_is_twelve_months_ending_with_the_current_utc_month(alice, bob, ledger, settings):
    # 00:30 UTC on 1 November is still October in Los Angeles: the UTC month wins.
    settings.TIME_ZONE = "America/Los_Angeles"
    with freeze_time("2026-11-01 00:30:00"):
        response = client_for(alice).get(TRENDS_URL)

    assert response.status_code == 200
    body = response.json()
    assert body == trends_payload(ledger, "alice", (2026, 11), 12)
    assert [entry["month"] for entry in body["months"]][:2] == ["2025-12", "2026-01"]
    assert body["months"][-1]["month"] == "2026-11"


@pytest.mark.django_db
def test_months_without_records_are_present_as_zeros(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(
                Record("alice", "income", "Salary", 250_000, date(2025, 11, 30)),
                Record("alice", "expense", "Rent", 100_000, date(2025, 11, 1)),
                Record("alice", "expense", "Rent", 12_345, date(2026, 2, 14)),
            ),
            movements=(),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(TRENDS_URL, {"end": "2026-03", "months": 6})

    assert response.status_code == 200
    assert response.json() == {
        "currency": "USD",
        "months": [
            {"month": "2025-10", **EMPTY_MONTH},
            {
                "month": "2025-11",
                "total_income": "2500.00",
                "total_expenses": "1000.00",
                "net": "1500.00",
                "savings_rate": "60.00",
            },
            {"month": "2025-12", **EMPTY_MONTH},
            {"month": "2026-01", **EMPTY_MONTH},
            {
                "month": "2026-02",
                "total_income": "0.00",
                "total_expenses": "123.45",
                "net": "-123.45",
                "savings_rate": None,
            },
            {"month": "2026-03", **EMPTY_MONTH},
        ],
    }


@pytest.mark.django_db
def test_first_and_last_days_fall_in_their_own_month_and_leap_day_in_february(
    alice, bob, alice_client
):
    seed_ledger(
        Ledger(
            records=(
                Record("alice", "income", "Salary", 100, date(2024, 1, 31)),
                Record("alice", "income", "Salary", 2_000, date(2024, 2, 1)),
                Record("alice", "expense", "Rent", 300, date(2024, 2, 29)),
                Record("alice", "expense", "Rent", 40_000, date(2024, 3, 1)),
            ),
            movements=(),
        ),
        {"alice": alice, "bob": bob},
    )

    one = alice_client.get(TRENDS_URL, {"end": "2024-02", "months": 1})
    three = alice_client.get(TRENDS_URL, {"end": "2024-03", "months": 3})

    february = {
        "month": "2024-02",
        "total_income": "20.00",
        "total_expenses": "3.00",
        "net": "17.00",
        "savings_rate": "85.00",
    }
    assert one.status_code == 200
    assert one.json() == {"currency": "USD", "months": [february]}
    assert three.status_code == 200
    assert three.json()["months"] == [
        {
            "month": "2024-01",
            "total_income": "1.00",
            "total_expenses": "0.00",
            "net": "1.00",
            "savings_rate": "100.00",
        },
        february,
        {
            "month": "2024-03",
            "total_income": "0.00",
            "total_expenses": "400.00",
            "net": "-400.00",
            "savings_rate": None,
        },
    ]


@pytest.mark.django_db
def test_large_amounts_are_summed_exactly(alice, bob, alice_client):
    ledger = Ledger(
        records=(
            *[Record("alice", "income", "Salary", MAX_CENTS, date(2026, 5, 31))] * 300,
            *[Record("alice", "expense", "Rent", 1, date(2026, 5, 1))] * 301,
        ),
        movements=(),
    )
    seed_ledger(ledger, {"alice": alice, "bob": bob})

    response = alice_client.get(TRENDS_URL, {"end": "2026-05", "months": 1})

    assert response.status_code == 200
    assert response.json()["months"] == [
        {
            "month": "2026-05",
            "total_income": "2999999999997.00",
            "total_expenses": "3.01",
            "net": "2999999999993.99",
            "savings_rate": "100.00",
        }
    ]


@pytest.mark.django_db
def test_currency_is_echoed_from_the_profile(alice, alice_client):
    alice.currency = "EUR"
    alice.save(update_fields=["currency"])

    response = alice_client.get(TRENDS_URL, {"end": "2026-01", "months": 1})

    assert response.status_code == 200
    assert response.json() == {"currency": "EUR", "months": [{"month": "2026-01", **EMPTY_MONTH}]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": "0"}, "months"),
        ({"months": "61"}, "months"),
        ({"months": "-1"}, "months"),
        ({"months": "x"}, "months"),
        ({"months": "1.5"}, "months"),
        ({"end": "2026-13"}, "end"),
        ({"end": "2026-00"}, "end"),
        ({"end": "2026-1"}, "end"),
        ({"end": "26-01"}, "end"),
        ({"end": "2026-01-01"}, "end"),
        ({"end": "January"}, "end"),
        ({"end": "0001-01", "months": "2"}, "end"),  # the window would start before year 1
    ],
)
def test_invalid_parameters_are_400_problems_naming_the_parameter(alice_client, params, field):
    response = alice_client.get(TRENDS_URL, params)

    assert_problem(response, 400, errors=[field])


@pytest.mark.django_db
def test_the_earliest_and_latest_months_are_accepted(alice_client):
    first = alice_client.get(TRENDS_URL, {"end": "0001-01", "months": 1})
    last = alice_client.get(TRENDS_URL, {"end": "9999-12", "months": 60})

    assert first.status_code == 200
    assert first.json()["months"] == [{"month": "0001-01", **EMPTY_MONTH}]
    assert last.status_code == 200
    assert [entry["month"] for entry in last.json()["months"]][::59] == ["9995-01", "9999-12"]


@pytest.mark.django_db
def test_trends_need_a_token(anon_client):
    assert_unauthorized(anon_client.get(TRENDS_URL))


@pytest.mark.django_db
def test_query_count_is_small_and_independent_of_the_number_of_records(
    alice, bob, alice_client, django_assert_max_num_queries
):
    generated = random_ledger(
        SEED,
        first=date(2025, 1, 1),
        last=date(2026, 11, 30),
        records={"alice": 500},
        movements={},
    )
    users = {"alice": alice, "bob": bob}
    params = {"end": "2026-11", "months": 24}
    seed_ledger(Ledger(generated.records[:5], ()), users)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert alice_client.get(TRENDS_URL, params).status_code == 200

    seed_ledger(Ledger(generated.records[5:], ()), users)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = alice_client.get(TRENDS_URL, params)
    assert response.status_code == 200

    assert len(few) == len(many)
    assert response.json() == trends_payload(generated, "alice", (2026, 11), 24)
