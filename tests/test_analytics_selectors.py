"""The analytics selectors' money math, and the calendar periods they are given."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from fintrack.analytics.selectors import monthly_trends, summary_for_period
from fintrack.core.periods import Period, current_month, month_period, parse_month, shift_month

from .analytics_data import MAX_CENTS, Ledger, Movement, Record, seed_ledger, to_amount

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def _assert_exact(value: Decimal, expected: str) -> None:
    """Equal as a number and written with exactly two decimals, the way it goes on the wire."""
    assert isinstance(value, Decimal)
    assert str(value) == expected


def _store(alice, bob, *records: Record, movements: tuple[Movement, ...] = ()) -> None:
    seed_ledger(Ledger(records, movements), {"alice": alice, "bob": bob})


# --- summary_for_period -----------------------------------------------------------------------


def _days(first: date, count: int) -> list[date]:
    """`count` consecutive days: one record per day, so no per-day pre-sum can hide a float."""
    return [first + timedelta(days=offset) for offset in range(count)]


THOUSAND_DAYS = Period(date(2024, 1, 1), date(2026, 9, 26))
DECEMBER_2023 = Period(date(2023, 12, 1), date(2023, 12, 31))


@pytest.mark.django_db
def test_many_dimes_and_fifths_sum_exactly(alice, bob):
    # 0.1 and 0.2 have no exact binary float: a float SUM drifts off the exact value.
    _store(
        alice,
        bob,
        *[Record("alice", "income", "Salary", 10, day) for day in _days(date(2024, 1, 1), 1000)],
        *[Record("alice", "expense", "Dining", 20, day) for day in _days(date(2024, 1, 1), 1000)],
        *[Record("alice", "expense", "Books", 10, day) for day in _days(date(2023, 12, 29), 3)],
    )

    summary = summary_for_period(user=alice, period=THOUSAND_DAYS, previous=DECEMBER_2023)

    _assert_exact(summary.current.total_income, "100.00")
    _assert_exact(summary.current.total_expenses, "200.00")
    _assert_exact(summary.current.net, "-100.00")
    _assert_exact(summary.current.savings_rate, "-100.00")
    _assert_exact(summary.previous.total_expenses, "0.30")
    _assert_exact(summary.previous.total_income, "0.00")
    assert summary.previous.savings_rate is None
    (dining,) = summary.expenses_by_category
    assert (dining.category, dining.count) == ("Dining", 1000)
    _assert_exact(dining.total, "200.00")


@pytest.mark.django_db
def test_a_thousand_of_the_largest_amounts_sum_exactly(alice, bob):
    # 10^13 with cents needs 15 significant digits, at the edge of what a float keeps.
    _store(
        alice,
        bob,
        *[Record("alice", "income", "Salary", MAX_CENTS, d) for d in _days(date(2024, 1, 1), 1000)],
        *[Record("alice", "income", "Gifts", 1, date(2026, 9, 26))] * 999,
        *[Record("alice", "expense", "Rent", MAX_CENTS, d) for d in _days(date(2024, 1, 1), 1000)],
        Record("alice", "expense", "Books", 3, date(2024, 1, 1)),
    )

    summary = summary_for_period(user=alice, period=THOUSAND_DAYS, previous=DECEMBER_2023)

    _assert_exact(summary.current.total_income, "9999999999999.99")
    _assert_exact(summary.current.total_expenses, "9999999999990.03")
    _assert_exact(summary.current.net, "9.96")
    _assert_exact(summary.current.savings_rate, "0.00")  # 9.96e-11 %
    salary, gifts = summary.income_by_category
    assert (salary.category, salary.count) == ("Salary", 1000)
    _assert_exact(salary.total, "9999999999990.00")
    _assert_exact(salary.percent, "100.00")  # 99.9999999999001 %
    assert (gifts.category, gifts.count) == ("Gifts", 999)
    _assert_exact(gifts.total, "9.99")
    _assert_exact(gifts.percent, "0.00")
    rent, books = summary.expenses_by_category
    assert (rent.category, rent.count, books.category, books.count) == ("Rent", 1000, "Books", 1)
    _assert_exact(rent.total, "9999999999990.00")


@pytest.mark.django_db
def test_sums_past_the_precision_of_a_float_are_exact(alice, bob):
    # Past 2^53 cents' worth of units a float cannot even hold the cents: 1.0001e14 here.
    days = _days(date(2000, 1, 1), 10_001)
    _store(
        alice,
        bob,
        *[Record("alice", "expense", "Rent", MAX_CENTS, day) for day in days],
        Record("alice", "income", "Salary", 1, days[-1]),
    )
    period = Period(days[0], days[-1])

    summary = summary_for_period(user=alice, period=period, previous=period.previous())
    (trend,) = monthly_trends(user=alice, end_year=2027, end_month=5, months=1)

    _assert_exact(summary.current.total_expenses, "100009999999899.99")
    _assert_exact(summary.current.net, "-100009999999899.98")
    _assert_exact(summary.current.savings_rate, "-1000099999998999800.00")
    _assert_exact(summary.expenses_by_category[0].total, "100009999999899.99")
    assert days[-1] == date(2027, 5, 19)
    _assert_exact(trend.total_expenses, "189999999999.81")  # 19 days of May 2027
    _assert_exact(trend.net, "-189999999999.80")


@pytest.mark.django_db
def test_category_breakdown_is_sorted_with_counts_and_shares(alice, bob):
    _store(
        alice,
        bob,
        Record("alice", "expense", "Rent", 100_000, date(2026, 3, 1)),
        Record("alice", "expense", "Dining", 2_500, date(2026, 3, 2)),
        Record("alice", "expense", "Dining", 2_500, date(2026, 3, 3)),
        Record("alice", "expense", "Books", 5_000, date(2026, 3, 4)),
        Record("alice", "expense", "Travel", 1, date(2026, 3, 5)),
        Record("alice", "expense", "Travel", 99_999, date(2026, 4, 1)),  # after the period
        Record("bob", "expense", "Rent", 99_999, date(2026, 3, 1)),
    )

    summary = summary_for_period(user=alice, period=MARCH, previous=FEBRUARY)

    rows = [
        (row.category, str(row.total), row.count, str(row.percent))
        for row in summary.expenses_by_category
    ]
    assert rows == [
        ("Rent", "1000.00", 1, "90.91"),  # 1000 / 1100.01
        ("Books", "50.00", 1, "4.55"),  # 4.5454..., tied with Dining, first by name
        ("Dining", "50.00", 2, "4.55"),
        ("Travel", "0.01", 1, "0.00"),
    ]
    assert summary.income_by_category == []
    _assert_exact(summary.current.total_expenses, "1100.01")


@pytest.mark.django_db
def test_goal_contributions_are_the_net_of_the_period(alice, bob):
    _store(
        alice,
        bob,
        movements=(
            Movement("alice", "Laptop", 10_000, date(2026, 3, 1)),
            Movement("alice", "Holiday", 2_510, date(2026, 3, 31)),
            Movement("alice", "Laptop", -3_333, date(2026, 3, 15)),
            Movement("alice", "Laptop", 50_000, date(2026, 2, 28)),
            Movement("alice", "Laptop", 50_000, date(2026, 4, 1)),
            Movement("bob", "Laptop", 70_000, date(2026, 3, 15)),
        ),
    )

    summary = summary_for_period(user=alice, period=MARCH, previous=FEBRUARY)

    _assert_exact(summary.goal_contributions, "91.77")


@pytest.mark.django_db
def test_an_empty_period_is_zero_decimals_and_no_savings_rate(alice, bob):
    _store(alice, bob, Record("bob", "income", "Salary", 1_000, date(2026, 3, 5)))

    summary = summary_for_period(user=alice, period=MARCH, previous=FEBRUARY)

    for value in (
        summary.current.total_income,
        summary.current.total_expenses,
        summary.current.net,
        summary.previous.total_income,
        summary.previous.total_expenses,
        summary.goal_contributions,
    ):
        _assert_exact(value, "0.00")
    assert summary.current.savings_rate is None
    assert summary.income_by_category == summary.expenses_by_category == []
    assert (summary.current.period, summary.previous.period) == (MARCH, FEBRUARY)


# --- monthly_trends ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_monthly_trends_are_exact_per_month_and_zero_when_empty(alice, bob):
    _store(
        alice,
        bob,
        *[Record("alice", "income", "Salary", 10, date(2025, 12, 31))] * 500,
        *[Record("alice", "expense", "Rent", 20, date(2026, 2, 1))] * 500,
        *[Record("alice", "income", "Salary", MAX_CENTS, date(2026, 2, 28))] * 1000,
        Record("bob", "income", "Salary", 77_700, date(2026, 1, 15)),
    )

    trend = monthly_trends(user=alice, end_year=2026, end_month=2, months=4)

    assert [month.month for month in trend] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [month.period for month in trend] == [
        Period(date(2025, 11, 1), date(2025, 11, 30)),
        Period(date(2025, 12, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 1, 31)),
        FEBRUARY,
    ]
    november, december, january, february = trend
    for empty in (november, january):
        _assert_exact(empty.total_income, "0.00")
        _assert_exact(empty.total_expenses, "0.00")
        assert empty.savings_rate is None
    _assert_exact(december.total_income, "50.00")
    _assert_exact(december.savings_rate, "100.00")
    _assert_exact(february.total_income, "9999999999990.00")
    _assert_exact(february.total_expenses, "100.00")
    _assert_exact(february.net, "9999999999890.00")
    _assert_exact(february.savings_rate, "100.00")


@pytest.mark.django_db
def test_monthly_trends_of_one_month(alice, bob):
    _store(alice, bob, Record("alice", "expense", "Rent", 1, date(2024, 2, 29)))

    (february,) = monthly_trends(user=alice, end_year=2024, end_month=2, months=1)

    assert february.month == "2024-02"
    assert february.period == Period(date(2024, 2, 1), date(2024, 2, 29))
    _assert_exact(february.total_expenses, "0.01")
    _assert_exact(february.net, "-0.01")


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("0001-01", date(1, 1, 1), date(1, 1, 31)),
        ("9999-12", date(9999, 12, 1), date(9999, 12, 31)),
    ],
)
def test_parse_month_gives_the_whole_month(text, start, end):
    assert parse_month(text) == Period(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026",
        "2026-1",
        "2026-001",
        "26-11",
        "12026-11",
        "2026-13",
        "2026-00",
        "0000-01",
        "2026/11",
        "2026_11",
        "11-2026",
        "2026-11-01",
        "2026-1a",
        "+026-11",
        "abcd-ef",
    ],
)
def test_parse_month_refuses_anything_but_yyyy_mm(text):
    with pytest.raises(ValueError):
        parse_month(text)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        # Across a new year.
        (
            Period(date(2026, 1, 1), date(2026, 1, 10)),
            Period(date(2025, 12, 22), date(2025, 12, 31)),
        ),
        (
            Period(date(2025, 12, 15), date(2026, 1, 14)),
            Period(date(2025, 11, 14), date(2025, 12, 14)),
        ),
        # Across the leap day.
        (
            Period(date(2024, 3, 1), date(2024, 3, 31)),
            Period(date(2024, 1, 30), date(2024, 2, 29)),
        ),
        (Period(date(2024, 3, 1), date(2024, 3, 1)), Period(date(2024, 2, 29), date(2024, 2, 29))),
        (
            Period(date(2024, 2, 29), date(2024, 2, 29)),
            Period(date(2024, 2, 28), date(2024, 2, 28)),
        ),
        (
            Period(date(2025, 1, 1), date(2025, 12, 31)),
            Period(date(2024, 1, 2), date(2024, 12, 31)),
        ),
    ],
)
def test_previous_is_the_same_number_of_days_just_before(period, previous):
    assert period.previous() == previous
    assert previous.days == period.days


@given(
    start=st.dates(min_value=date(3, 1, 1), max_value=date(9998, 12, 31)),
    length=st.integers(min_value=1, max_value=366),
)
def test_previous_always_ends_the_day_before_and_has_the_same_length(start, length):
    end = start + timedelta(days=length - 1)
    period = Period(start, end)

    previous = period.previous()

    assert previous.end == start - timedelta(days=1)
    assert (previous.end - previous.start).days == (end - start).days


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (month_period(2026, 1), Period(date(2025, 12, 1), date(2025, 12, 31))),
        (month_period(2024, 3), Period(date(2024, 2, 1), date(2024, 2, 29))),
        (month_period(2023, 3), Period(date(2023, 2, 1), date(2023, 2, 28))),
        (month_period(2026, 12), Period(date(2026, 11, 1), date(2026, 11, 30))),
        # A period that does not start on the 1st: the whole month before the one it starts in.
        (Period(date(2024, 3, 15), date(2024, 3, 20)), Period(date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_previous_month_is_the_whole_calendar_month_before(period, previous):
    assert period.previous_month() == previous


def test_nothing_comes_before_year_one():
    with pytest.raises(OverflowError):
        Period(date(1, 1, 1), date(1, 1, 5)).previous()
    with pytest.raises(ValueError):
        month_period(1, 1).previous_month()


@pytest.mark.parametrize(
    ("year", "month", "delta", "expected"),
    [
        (2026, 1, -1, (2025, 12)),
        (2025, 12, 1, (2026, 1)),
        (2026, 11, -59, (2021, 12)),
        (2026, 11, 0, (2026, 11)),
        (2024, 2, 12, (2025, 2)),
        (2024, 2, -25, (2022, 1)),
    ],
)
def test_shift_month(year, month, delta, expected):
    assert shift_month(year, month, delta) == expected


def test_current_month_is_the_utc_month(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # already 1 January 2025 there
    with freeze_time("2024-12-31 23:59:59"):
        assert current_month() == Period(date(2024, 12, 1), date(2024, 12, 31))
    with freeze_time("2024-02-29 00:00:00"):
        assert current_month() == Period(date(2024, 2, 1), date(2024, 2, 29))


def test_amounts_of_the_test_data_are_exact_decimals():
    # The helper that feeds every test above: cents to a two-place Decimal, without rounding.
    assert [str(to_amount(cents)) for cents in (1, 10, 100, 12_345, MAX_CENTS, -5)] == [
        "0.01",
        "0.10",
        "1.00",
        "123.45",
        "9999999999.99",
        "-0.05",
    ]
