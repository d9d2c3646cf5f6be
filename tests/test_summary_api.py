"""GET /api/summary/."""

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time

from fintrack.ledger.models import Category, Entry

from .analytics_data import (
    EXPENSE_CATEGORIES,
    INCOME_CATEGORIES,
    MAX_CENTS,
    Ledger,
    Movement,
    Record,
    random_ledger,
    seed_ledger,
    summary_payload,
    to_amount,
)
from .assertions import assert_problem, assert_unauthorized
from .conftest import client_for

SUMMARY_URL = "/api/summary/"
SEED = 20240229
MAX_QUERIES = 6


@pytest.fixture
def ledger(alice, bob) -> Ledger:
    """About 28 months of Alice's records (Bob's interleaved), stored in the database."""
    generated = random_ledger(
        SEED,
        first=date(2023, 11, 1),
        last=date(2026, 2, 28),
        records={"alice": 1500, "bob": 400},
        movements={"alice": 150, "bob": 40},
    )
    seed_ledger(generated, {"alice": alice, "bob": bob})
    return generated


def _empty_summary(
    period: tuple[date, date], previous: tuple[date, date], currency: str = "USD"
) -> dict[str, object]:
    return summary_payload(Ledger((), ()), "alice", period, previous, currency)


def _records(*rows: tuple[str, str, str, date]) -> Ledger:
    """Alice's records from (kind, category, amount, day) rows."""
    return Ledger(
        records=tuple(
            Record("alice", kind, category, int(Decimal(amount) * 100), day)
            for kind, category, amount, day in rows
        ),
        movements=(),
    )


# --- the random data set, to the cent ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "period", "previous"),
    [
        (
            "2023-12",
            (date(2023, 12, 1), date(2023, 12, 31)),
            (date(2023, 11, 1), date(2023, 11, 30)),
        ),
        ("2024-01", (date(2024, 1, 1), date(2024, 1, 31)), (date(2023, 12, 1), date(2023, 12, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29)), (date(2024, 1, 1), date(2024, 1, 31))),
        ("2024-03", (date(2024, 3, 1), date(2024, 3, 31)), (date(2024, 2, 1), date(2024, 2, 29))),
        ("2025-01", (date(2025, 1, 1), date(2025, 1, 31)), (date(2024, 12, 1), date(2024, 12, 31))),
        ("2026-01", (date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 1, 1), date(2026, 1, 31))),
    ],
)
def test_summary_of_a_month_matches_an_independent_computation(
    alice_client, ledger, month, period, previous
):
    expected = summary_payload(ledger, "alice", period, previous)
    assert expected["income_by_category"], "the data set should have incomes in every month"
    assert expected["expenses_by_category"]

    response = alice_client.get(SUMMARY_URL, {"month": month})

    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date_from", "date_to", "previous"),
    [
        # 31 days across a new year; the 31 days before end on 2025-12-14.
        (date(2025, 12, 15), date(2026, 1, 14), (date(2025, 11, 14), date(2025, 12, 14))),
        # 29 days that contain the leap day.
        (date(2024, 2, 10), date(2024, 3, 9), (date(2024, 1, 12), date(2024, 2, 9))),
        (date(2024, 2, 29), date(2024, 2, 29), (date(2024, 2, 28), date(2024, 2, 28))),
        # 365 days; the 365 days before start on 2 January, 2024 having 366.
        (date(2025, 1, 1), date(2025, 12, 31), (date(2024, 1, 2), date(2024, 12, 31))),
        # Everything, the previous period reaching before the data set.
        (date(2023, 11, 1), date(2026, 2, 28), (date(2021, 7, 3), date(2023, 10, 31))),
    ],
)
def test_summary_of_a_range_matches_an_independent_computation(
    alice_client, ledger, date_from, date_to, previous
):
    response = alice_client.get(
        SUMMARY_URL, {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    )

    assert response.status_code == 200
    assert response.json() == summary_payload(ledger, "alice", (date_from, date_to), previous)


@pytest.mark.django_db
def test_bob_sees_only_his_own_records_and_contributions(bob_client, ledger):
    period, previous = (date(2024, 2, 1), date(2024, 2, 29)), (date(2024, 1, 1), date(2024, 1, 31))

    response = bob_client.get(SUMMARY_URL, {"month": "2024-02"})

    assert response.status_code == 200
    assert response.json() == summary_payload(ledger, "bob", period, previous)
    assert response.json() != summary_payload(ledger, "alice", period, previous)


@pytest.mark.django_db
def test_other_users_records_never_count(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(Record("bob", "income", "Salary", 500_000, date(2026, 3, 10)),),
            movements=(Movement("bob", "Laptop", 10_000, date(2026, 3, 10)),),
        ),
        {"alice": alice, "bob": bob},
    )
    period, previous = (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))

    response = alice_client.get(SUMMARY_URL, {"month": "2026-03"})

    assert response.status_code == 200
    assert response.json() == _empty_summary(period, previous)


# --- edge cases -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_period_is_all_zeros_with_a_null_savings_rate(alice, bob, alice_client):
    # Records elsewhere in time must not leak into the period or the one before it.
    seed_ledger(
        _records(
            ("income", "Salary", "100.00", date(2026, 5, 31)),
            ("expense", "Rent", "40.00", date(2026, 8, 1)),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-07"})

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2026-07-01", "end": "2026-07-31"},
        "currency": "USD",
        "total_income": "0.00",
        "total_expenses": "0.00",
        "net": "0.00",
        "savings_rate": None,
        "goal_contributions": "0.00",
        "income_by_category": [],
        "expenses_by_category": [],
        "previous_period": {
            "start": "2026-06-01",
            "end": "2026-06-30",
            "total_income": "0.00",
            "total_expenses": "0.00",
            "net": "0.00",
        },
    }


@pytest.mark.django_db
def test_month_with_only_expenses_has_a_null_savings_rate(alice, bob, alice_client):
    seed_ledger(
        _records(
            ("expense", "Rent", "1200.00", date(2026, 6, 1)),
            ("expense", "Groceries", "350.25", date(2026, 6, 14)),
            ("expense", "Groceries", "49.75", date(2026, 6, 30)),
            ("income", "Salary", "3000.00", date(2026, 5, 28)),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-06"})

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2026-06-01", "end": "2026-06-30"},
        "currency": "USD",
        "total_income": "0.00",
        "total_expenses": "1600.00",
        "net": "-1600.00",
        "savings_rate": None,
        "goal_contributions": "0.00",
        "income_by_category": [],
        "expenses_by_category": [
            {"category": "Rent", "total": "1200.00", "count": 1, "percent": "75.00"},
            {"category": "Groceries", "total": "400.00", "count": 2, "percent": "25.00"},
        ],
        "previous_period": {
            "start": "2026-05-01",
            "end": "2026-05-31",
            "total_income": "3000.00",
            "total_expenses": "0.00",
            "net": "3000.00",
        },
    }


@pytest.mark.django_db
def test_percentages_round_half_up_and_ties_sort_by_name(alice, bob, alice_client):
    seed_ledger(
        _records(
            ("income", "Salary", "800.00", date(2026, 9, 1)),
            # 1 / 800 = 0.125 % and 799 / 800 = 99.875 %: half up, not half even.
            ("expense", "Rent", "799.00", date(2026, 9, 2)),
            ("expense", "Travel", "0.50", date(2026, 9, 3)),
            ("expense", "Books", "0.50", date(2026, 9, 4)),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-09"})

    assert response.status_code == 200
    body = response.json()
    assert body["net"] == "0.00"
    assert body["savings_rate"] == "0.00"  # no savings, but there is income: zero, not null
    assert body["expenses_by_category"] == [
        {"category": "Rent", "total": "799.00", "count": 1, "percent": "99.88"},
        {"category": "Books", "total": "0.50", "count": 1, "percent": "0.06"},
        {"category": "Travel", "total": "0.50", "count": 1, "percent": "0.06"},
    ]
    assert body["income_by_category"] == [
        {"category": "Salary", "total": "800.00", "count": 1, "percent": "100.00"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("income", "expenses", "net", "savings_rate"),
    [
        ("800.00", "799.00", "1.00", "0.13"),  # 0.125 rounds up
        ("800.00", "801.00", "-1.00", "-0.13"),  # and a loss away from zero, like Decimal
        ("3.00", "1.00", "2.00", "66.67"),
        ("3.00", "2.00", "1.00", "33.33"),
        ("0.01", "9999999999.99", "-9999999999.98", "-99999999999800.00"),
        # A loss too small to show: zero, and never a signed "-0.00".
        ("5000.00", "5000.01", "-0.01", "0.00"),
    ],
)
def test_savings_rate_is_net_over_income_rounded_half_up(
    alice, bob, alice_client, income, expenses, net, savings_rate
):
    seed_ledger(
        _records(
            ("income", "Salary", income, date(2026, 9, 1)),
            ("expense", "Rent", expenses, date(2026, 9, 30)),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-09"})

    assert response.status_code == 200
    body = response.json()
    assert (body["net"], body["savings_rate"]) == (net, savings_rate)


@pytest.mark.django_db
def test_savings_rate_of_a_huge_loss_on_a_tiny_income_is_not_a_server_error(
    alice, bob, alice_client
):
    # 10,001 records of the largest amount against one cent of income: a rate of about
    # -1.0001e18 %, more digits than any one total has.
    ledger = Ledger(
        records=(
            Record("alice", "income", "Salary", 1, date(2026, 9, 1)),
            *[Record("alice", "expense", "Rent", MAX_CENTS, date(2026, 9, 2))] * 10_001,
        ),
        movements=(),
    )
    seed_ledger(ledger, {"alice": alice, "bob": bob})
    period, previous = (date(2026, 9, 1), date(2026, 9, 30)), (date(2026, 8, 1), date(2026, 8, 31))

    response = alice_client.get(SUMMARY_URL, {"month": "2026-09"})

    assert response.status_code == 200
    assert response.json() == summary_payload(ledger, "alice", period, previous)
    assert response.json()["savings_rate"] == "-1000099999998999800.00"


@pytest.mark.django_db
def test_leap_february_2024_runs_to_the_29th_and_compares_with_january(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(
                Record("alice", "income", "Salary", 10_000, date(2024, 1, 1)),
                Record("alice", "expense", "Rent", 2_500, date(2024, 1, 31)),
                Record("alice", "income", "Salary", 30_000, date(2024, 2, 1)),
                Record("alice", "expense", "Rent", 7_525, date(2024, 2, 29)),
                Record("alice", "expense", "Rent", 99_999, date(2024, 3, 1)),
                Record("alice", "income", "Gifts", 99_999, date(2023, 12, 31)),
            ),
            movements=(
                Movement("alice", "Laptop", 5_000, date(2024, 2, 29)),
                Movement("alice", "Laptop", -1_250, date(2024, 2, 1)),
                Movement("alice", "Laptop", 7_000, date(2024, 3, 1)),
                Movement("alice", "Laptop", 7_000, date(2024, 1, 31)),
            ),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2024-02"})

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2024-02-01", "end": "2024-02-29"},
        "currency": "USD",
        "total_income": "300.00",
        "total_expenses": "75.25",
        "net": "224.75",
        "savings_rate": "74.92",  # 74.9166...
        "goal_contributions": "37.50",
        "income_by_category": [
            {"category": "Salary", "total": "300.00", "count": 1, "percent": "100.00"}
        ],
        "expenses_by_category": [
            {"category": "Rent", "total": "75.25", "count": 1, "percent": "100.00"}
        ],
        "previous_period": {
            "start": "2024-01-01",
            "end": "2024-01-31",
            "total_income": "100.00",
            "total_expenses": "25.00",
            "net": "75.00",
        },
    }


@pytest.mark.django_db
def test_range_across_a_year_compares_with_the_same_number_of_days_before(alice, bob, alice_client):
    # 2025-12-15..2026-01-14 is 31 days, so the previous period is 2025-11-14..2025-12-14.
    seed_ledger(
        _records(
            ("income", "Salary", "1.00", date(2025, 11, 13)),  # in neither
            ("income", "Salary", "20.00", date(2025, 11, 14)),  # first day of the previous
            ("expense", "Rent", "3.00", date(2025, 12, 14)),  # last day of the previous
            ("income", "Salary", "400.00", date(2025, 12, 15)),  # first day
            ("expense", "Rent", "50.00", date(2025, 12, 31)),
            ("expense", "Dining", "6.00", date(2026, 1, 1)),
            ("expense", "Rent", "70.00", date(2026, 1, 14)),  # last day
            ("income", "Salary", "800.00", date(2026, 1, 15)),  # in neither
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"date_from": "2025-12-15", "date_to": "2026-01-14"})

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2025-12-15", "end": "2026-01-14"},
        "currency": "USD",
        "total_income": "400.00",
        "total_expenses": "126.00",
        "net": "274.00",
        "savings_rate": "68.50",
        "goal_contributions": "0.00",
        "income_by_category": [
            {"category": "Salary", "total": "400.00", "count": 1, "percent": "100.00"}
        ],
        "expenses_by_category": [
            {"category": "Rent", "total": "120.00", "count": 2, "percent": "95.24"},
            {"category": "Dining", "total": "6.00", "count": 1, "percent": "4.76"},
        ],
        "previous_period": {
            "start": "2025-11-14",
            "end": "2025-12-14",
            "total_income": "20.00",
            "total_expenses": "3.00",
            "net": "17.00",
        },
    }


@pytest.mark.django_db
def test_first_and_last_day_count_and_the_days_around_do_not(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(
                Record("alice", "income", "Salary", 100, date(2026, 3, 31)),  # previous month
                Record("alice", "income", "Salary", 2_000, date(2026, 4, 1)),
                Record("alice", "expense", "Rent", 300, date(2026, 4, 30)),
                Record("alice", "expense", "Rent", 40_000, date(2026, 5, 1)),
                Record("alice", "income", "Salary", 50_000, date(2026, 2, 28)),  # before both
            ),
            movements=(
                Movement("alice", "Laptop", 1_000, date(2026, 4, 1)),
                Movement("alice", "Laptop", -200, date(2026, 4, 30)),
                Movement("alice", "Laptop", 30_000, date(2026, 3, 31)),
                Movement("alice", "Laptop", 40_000, date(2026, 5, 1)),
            ),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-04"})

    assert response.status_code == 200
    body = response.json()
    assert (body["total_income"], body["total_expenses"], body["net"]) == ("20.00", "3.00", "17.00")
    assert body["goal_contributions"] == "8.00"
    assert body["previous_period"] == {
        "start": "2026-03-01",
        "end": "2026-03-31",
        "total_income": "1.00",
        "total_expenses": "0.00",
        "net": "1.00",
    }


@pytest.mark.django_db
def test_goal_contributions_are_net_of_withdrawals_and_may_be_negative(alice, bob, alice_client):
    seed_ledger(
        Ledger(
            records=(),
            movements=(
                Movement("alice", "Laptop", 10_000, date(2026, 2, 10)),
                Movement("alice", "Laptop", -4_000, date(2026, 3, 5)),
                Movement("alice", "Holiday", -2_550, date(2026, 3, 20)),
                Movement("alice", "Holiday", 1_000, date(2026, 3, 21)),
                Movement("bob", "Laptop", 99_999, date(2026, 3, 21)),
            ),
        ),
        {"alice": alice, "bob": bob},
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-03"})

    assert response.status_code == 200
    assert response.json()["goal_contributions"] == "-55.50"


@pytest.mark.django_db
def test_default_period_is_the_current_utc_month(alice, bob, settings):
    seed_ledger(
        _records(
            ("income", "Salary", "10.00", date(2026, 2, 28)),
            ("income", "Salary", "20.00", date(2026, 3, 1)),
        ),
        {"alice": alice, "bob": bob},
    )
    # 00:30 UTC on 1 March is still 28 February in New York: the UTC month wins.
    settings.TIME_ZONE = "America/New_York"
    with freeze_time("2026-03-01 00:30:00"):
        response = client_for(alice).get(SUMMARY_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert body["total_income"] == "20.00"
    assert body["previous_period"]["start"] == "2026-02-01"
    assert body["previous_period"]["total_income"] == "10.00"


@pytest.mark.django_db
def test_default_period_in_a_leap_february(alice):
    with freeze_time("2024-02-29 23:59:59"):
        response = client_for(alice).get(SUMMARY_URL)

    assert response.status_code == 200
    assert response.json() == _empty_summary(
        (date(2024, 2, 1), date(2024, 2, 29)), (date(2024, 1, 1), date(2024, 1, 31))
    )


@pytest.mark.django_db
def test_currency_is_echoed_from_the_profile(alice, bob, alice_client):
    alice.currency = "EUR"
    alice.save(update_fields=["currency"])
    seed_ledger(
        _records(("income", "Salary", "5.00", date(2026, 9, 9))), {"alice": alice, "bob": bob}
    )

    response = alice_client.get(SUMMARY_URL, {"month": "2026-09"})

    assert response.status_code == 200
    assert response.json()["currency"] == "EUR"
    assert response.json()["total_income"] == "5.00"


# --- parameter errors -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2026-11", "date_from": "2026-11-01", "date_to": "2026-11-30"}, "month"),
        ({"month": "2026-11", "date_from": "2026-11-01"}, "month"),
        ({"month": "2026-11", "date_to": "2026-11-30"}, "month"),
        ({"date_from": "2026-11-01"}, "date_to"),
        ({"date_to": "2026-11-30"}, "date_from"),
        ({"month": "2026-13"}, "month"),
        ({"month": "2026-00"}, "month"),
        ({"month": "2026-1"}, "month"),
        ({"month": "26-11"}, "month"),
        ({"month": "2026/11"}, "month"),
        ({"month": "2026-11-01"}, "month"),
        ({"month": "November"}, "month"),
        ({"month": "0000-12"}, "month"),
        ({"month": "0001-01"}, "month"),  # no month before it to compare with
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "date_from"),
        ({"date_from": "2026-02-30", "date_to": "2026-03-31"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "tomorrow"}, "date_to"),
        ({"date_from": "2026-2-1", "date_to": "2026-03-31"}, "date_from"),  # YYYY-MM-DD only
        ({"date_from": "0001-01-01", "date_to": "0001-01-31"}, "date_from"),
    ],
)
def test_invalid_parameters_are_400_problems_naming_the_parameter(alice_client, params, field):
    response = alice_client.get(SUMMARY_URL, params)

    assert_problem(response, 400, errors=[field])


@pytest.mark.django_db
def test_date_from_equal_to_date_to_is_one_day(alice_client):
    response = alice_client.get(SUMMARY_URL, {"date_from": "2026-11-24", "date_to": "2026-11-24"})

    assert response.status_code == 200
    assert response.json()["period"] == {"start": "2026-11-24", "end": "2026-11-24"}
    assert response.json()["previous_period"]["start"] == "2026-11-23"
    assert response.json()["previous_period"]["end"] == "2026-11-23"


@pytest.mark.django_db
def test_summary_needs_a_token(anon_client):
    assert_unauthorized(anon_client.get(SUMMARY_URL, {"month": "2026-11"}))


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"month": "2026-01"}, {"date_from": "2025-11-20", "date_to": "2026-01-10"}],
    ids=["month", "range"],
)
def test_query_count_is_small_and_independent_of_the_number_of_records(
    alice, bob, alice_client, django_assert_max_num_queries, params
):
    generated = random_ledger(
        SEED,
        first=date(2025, 10, 1),
        last=date(2026, 1, 31),
        records={"alice": 500},
        movements={"alice": 50},
    )
    users = {"alice": alice, "bob": bob}
    seed_ledger(Ledger(generated.records[:5], generated.movements[:1]), users)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert alice_client.get(SUMMARY_URL, params).status_code == 200

    seed_ledger(Ledger(generated.records[5:], generated.movements[1:]), users)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = alice_client.get(SUMMARY_URL, params)
    assert response.status_code == 200

    assert len(few) == len(many)
    assert len(response.json()["expenses_by_category"]) == 8  # many rows, no extra query


# --- totals follow every write ----------------------------------------------------------------


@pytest.mark.django_db
def test_totals_follow_updates_and_deletes_of_records(alice, bob, alice_client):
    users = {"alice": alice, "bob": bob}
    generated = random_ledger(
        SEED + 1,
        first=date(2025, 12, 1),
        last=date(2026, 2, 28),
        records={"alice": 400, "bob": 100},
        movements={},
    )
    created = seed_ledger(generated, users)
    assert all(entry.pk is not None for entry in created)
    model = {entry.pk: record for entry, record in zip(created, generated.records, strict=True)}
    categories = {(c.user_id, c.kind, c.name): c for c in Category.objects.all()}
    rng = random.Random(SEED)
    alices = [pk for pk, record in model.items() if record.owner == "alice"]
    rng.shuffle(alices)
    changed, removed, moved = alices[:120], alices[120:170], alices[170:200]

    for number, pk in enumerate(changed):  # one field or several, one save() each
        entry, record = Entry.objects.get(pk=pk), model[pk]
        if number % 4 == 0:
            record = replace(record, cents=rng.randint(1, MAX_CENTS))
        if number % 4 == 1:
            record = replace(record, day=date(2025, 12, 1) + timedelta(days=rng.randrange(90)))
        if number % 4 == 2:
            names = INCOME_CATEGORIES if record.kind == "income" else EXPENSE_CATEGORIES
            record = replace(record, category=rng.choice(names))
        if number % 4 == 3:  # kind and category change together
            kind = "expense" if record.kind == "income" else "income"
            names = INCOME_CATEGORIES if kind == "income" else EXPENSE_CATEGORIES
            record = replace(record, kind=kind, category=rng.choice(names))
        entry.amount, entry.date, entry.kind = to_amount(record.cents), record.day, record.kind
        entry.category = categories.get((alice.pk, record.kind, record.category)) or (
            Category.objects.create(user=alice, kind=record.kind, name=record.category)
        )
        categories[(alice.pk, record.kind, record.category)] = entry.category
        entry.save()
        model[pk] = record
    for pk in removed[:25]:
        Entry.objects.get(pk=pk).delete()
    Entry.objects.filter(pk__in=removed[25:]).delete()
    for pk in removed:
        del model[pk]
    # One statement over many rows, as a category reassignment or a bulk fix would do.
    Entry.objects.filter(pk__in=moved).update(date=date(2026, 1, 31))
    for pk in moved:
        model[pk] = replace(model[pk], day=date(2026, 1, 31))

    ledger = Ledger(records=tuple(model.values()), movements=())
    for month, period, previous in [
        (
            "2025-12",
            (date(2025, 12, 1), date(2025, 12, 31)),
            (date(2025, 11, 1), date(2025, 11, 30)),
        ),
        ("2026-01", (date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 1, 1), date(2026, 1, 31))),
    ]:
        response = alice_client.get(SUMMARY_URL, {"month": month})
        assert response.status_code == 200
        assert response.json() == summary_payload(ledger, "alice", period, previous), month


@pytest.mark.django_db
def test_totals_follow_records_written_through_the_api(alice_client):
    def post(url, amount, day, category):
        response = alice_client.post(
            url, {"amount": amount, "date": day, "category": category}, format="json"
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    post("/api/incomes/", "2500.00", "2026-10-01", "Salary")
    bonus = post("/api/incomes/", "100.10", "2026-10-31", "Bonus")
    rent = post("/api/expenses/", "900.00", "2026-10-02", "Rent")
    post("/api/expenses/", "0.30", "2026-10-15", "Coffee")
    lunch = post("/api/expenses/", "12.00", "2026-10-16", "Dining")
    stray = post("/api/expenses/", "77.00", "2026-10-17", "Dining")
    assert alice_client.patch(f"/api/expenses/{rent}/", {"amount": "950.00"}).status_code == 200
    assert alice_client.patch(f"/api/expenses/{lunch}/", {"category": "Coffee"}).status_code == 200
    assert alice_client.patch(f"/api/incomes/{bonus}/", {"date": "2026-09-30"}).status_code == 200
    assert alice_client.delete(f"/api/expenses/{stray}/").status_code == 204

    response = alice_client.get(SUMMARY_URL, {"month": "2026-10"})

    assert response.status_code == 200
    assert response.json() == {
        "period": {"start": "2026-10-01", "end": "2026-10-31"},
        "currency": "USD",
        "total_income": "2500.00",
        "total_expenses": "962.30",
        "net": "1537.70",
        "savings_rate": "61.51",  # 61.508
        "goal_contributions": "0.00",
        "income_by_category": [
            {"category": "Salary", "total": "2500.00", "count": 1, "percent": "100.00"}
        ],
        "expenses_by_category": [
            {"category": "Rent", "total": "950.00", "count": 1, "percent": "98.72"},
            {"category": "Coffee", "total": "12.30", "count": 2, "percent": "1.28"},
        ],
        "previous_period": {
            "start": "2026-09-01",
            "end": "2026-09-30",
            "total_income": "100.10",
            "total_expenses": "0.00",
            "net": "100.10",
        },
    }
