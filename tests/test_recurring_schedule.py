"""Occurrence arithmetic of recurring rules: tables of known calendars, then properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintrack.recurring.schedule import (
    DAILY,
    FREQUENCIES,
    MONTHLY,
    WEEKLY,
    YEARLY,
    Schedule,
    next_date,
    resumed_handled_through,
)

D = date.fromisoformat


def first(schedule: Schedule, n: int) -> list[str | None]:
    """The first n occurrences as ISO dates (None for one past year 9999)."""
    days = (schedule.occurrence(k) for k in range(n))
    return [None if day is None else day.isoformat() for day in days]


@pytest.mark.parametrize(
    ("frequency", "interval", "start", "expected"),
    [
        # The 31st: clamped in shorter months, back on the 31st after them.
        (
            MONTHLY,
            1,
            "2026-01-31",
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"],
        ),
        # In a leap year February has a 29th.
        (MONTHLY, 1, "2024-01-31", ["2024-01-31", "2024-02-29", "2024-03-31"]),
        (MONTHLY, 1, "2026-01-30", ["2026-01-30", "2026-02-28", "2026-03-30"]),
        (MONTHLY, 2, "2026-12-31", ["2026-12-31", "2027-02-28", "2027-04-30", "2027-06-30"]),
        (MONTHLY, 13, "2026-01-15", ["2026-01-15", "2027-02-15", "2028-03-15"]),
        # Feb 29 yearly: the 28th in common years, the 29th again in the next leap year.
        (
            YEARLY,
            1,
            "2024-02-29",
            ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
        ),
        (YEARLY, 4, "2024-02-29", ["2024-02-29", "2028-02-29", "2032-02-29"]),
        (YEARLY, 1, "2026-12-31", ["2026-12-31", "2027-12-31"]),
        (WEEKLY, 1, "2026-12-28", ["2026-12-28", "2027-01-04", "2027-01-11"]),
        (WEEKLY, 2, "2026-11-02", ["2026-11-02", "2026-11-16", "2026-11-30", "2026-12-14"]),
        (DAILY, 1, "2024-02-28", ["2024-02-28", "2024-02-29", "2024-03-01"]),
        (DAILY, 10, "2026-12-25", ["2026-12-25", "2027-01-04", "2027-01-14"]),
        (DAILY, 365, "2026-01-01", ["2026-01-01", "2027-01-01", "2028-01-01", "2028-12-31"]),
    ],
)
def test_occurrences(frequency: str, interval: int, start: str, expected: list[str]) -> None:
    assert first(Schedule(frequency, interval, D(start)), len(expected)) == expected


@pytest.mark.parametrize(
    ("frequency", "interval", "start", "end", "first_day", "last_day", "expected"),
    [
        # The end date is inclusive, and nothing comes after it.
        (MONTHLY, 1, "2026-01-31", "2026-04-30", "2026-01-01", "2026-12-31",
         ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
        (MONTHLY, 1, "2026-01-31", "2026-04-29", "2026-01-01", "2026-12-31",
         ["2026-01-31", "2026-02-28", "2026-03-31"]),
        # A window that starts between occurrences.
        (WEEKLY, 1, "2026-11-02", None, "2026-11-10", "2026-11-30",
         ["2026-11-16", "2026-11-23", "2026-11-30"]),
        (MONTHLY, 1, "2026-01-31", None, "2026-02-28", "2026-03-30", ["2026-02-28"]),
        (MONTHLY, 1, "2026-01-31", None, "2026-03-01", "2026-03-30", []),
        (YEARLY, 1, "2024-02-29", None, "2025-01-01", "2028-12-31",
         ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"]),
        (DAILY, 3, "2026-11-01", "2026-11-08", "2026-10-01", "2026-11-30",
         ["2026-11-01", "2026-11-04", "2026-11-07"]),
        # A window before the start.
        (DAILY, 1, "2026-11-01", None, "2026-10-01", "2026-10-31", []),
    ],
)  # fmt: skip
def test_between(frequency, interval, start, end, first_day, last_day, expected) -> None:
    schedule = Schedule(frequency, interval, D(start), D(end) if end else None)
    assert [d.isoformat() for d in schedule.between(D(first_day), D(last_day))] == expected


@pytest.mark.parametrize(
    ("frequency", "interval", "start", "end", "handled", "expected"),
    [
        (MONTHLY, 1, "2026-01-31", None, None, "2026-01-31"),
        (MONTHLY, 1, "2026-01-31", None, "2026-01-31", "2026-02-28"),
        (MONTHLY, 1, "2026-01-31", None, "2026-02-28", "2026-03-31"),
        # Handled through a day between occurrences (a resume): the next one after it.
        (MONTHLY, 1, "2026-01-31", None, "2026-06-05", "2026-06-30"),
        (WEEKLY, 1, "2026-11-02", None, "2026-11-15", "2026-11-16"),
        # Ended: the last occurrence was handled, or the next one falls after the end.
        (MONTHLY, 1, "2026-01-31", "2026-04-30", "2026-04-30", None),
        (MONTHLY, 1, "2026-01-31", "2026-05-30", "2026-04-30", None),
        (DAILY, 1, "2026-11-01", "2026-11-01", None, "2026-11-01"),
        (YEARLY, 1, "2024-02-29", None, "2027-02-28", "2028-02-29"),
    ],
)
def test_next_date(frequency, interval, start, end, handled, expected) -> None:
    schedule = Schedule(frequency, interval, D(start), D(end) if end else None)
    found = next_date(schedule, handled_through=D(handled) if handled else None)
    assert found == (D(expected) if expected else None)


@pytest.mark.parametrize(
    ("handled", "today", "expected"),
    [
        # Paused for months: everything before today is skipped.
        ("2026-03-31", "2026-11-29", "2026-11-28"),
        (None, "2026-11-29", "2026-11-28"),
        # Paused and resumed the same day: nothing new to skip.
        ("2026-11-29", "2026-11-29", "2026-11-29"),
        ("2026-11-28", "2026-11-29", "2026-11-28"),
    ],
)
def test_resume_skips_what_fell_in_the_pause(handled, today, expected) -> None:
    found = resumed_handled_through(D(handled) if handled else None, today=D(today))
    assert found == D(expected)


def test_resume_moves_next_date_to_the_first_occurrence_from_today_on() -> None:
    schedule = Schedule(MONTHLY, 1, D("2026-01-31"))
    handled = resumed_handled_through(D("2026-03-31"), today=D("2026-06-30"))
    assert next_date(schedule, handled_through=handled) == D("2026-06-30")
    handled = resumed_handled_through(D("2026-03-31"), today=D("2026-07-01"))
    assert next_date(schedule, handled_through=handled) == D("2026-07-31")


def test_the_far_future_ends_quietly() -> None:
    schedule = Schedule(YEARLY, 365, D("9000-01-01"))
    assert schedule.occurrence(3) is None
    expected = [D("9000-01-01"), D("9365-01-01"), D("9730-01-01")]
    assert list(schedule.between(D("9000-01-01"), date.max)) == expected
    assert Schedule(DAILY, 365, D("9999-01-01")).first_after(D("9999-01-01")) is None


@pytest.mark.parametrize(("frequency", "interval"), [("hourly", 1), (DAILY, 0), (DAILY, 366)])
def test_a_bad_schedule_is_refused(frequency: str, interval: int) -> None:
    with pytest.raises(ValueError):
        Schedule(frequency, interval, D("2026-01-01"))


schedules = st.builds(
    Schedule,
    frequency=st.sampled_from(FREQUENCIES),
    interval=st.integers(1, 365),
    start=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    end=st.none() | st.dates(date(1900, 1, 1), date(2200, 12, 31)),
).filter(lambda s: s.end is None or s.end >= s.start)


def _unit_upper_bound(schedule: Schedule) -> timedelta:
    """The longest possible gap between two occurrences: one unit times the interval."""
    days = {DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366}[schedule.frequency]
    return timedelta(days=days * schedule.interval)


def _unit_lower_bound(schedule: Schedule) -> timedelta:
    days = {DAILY: 1, WEEKLY: 7, MONTHLY: 28, YEARLY: 365}[schedule.frequency]
    # A clamped month end and the anchored day that follows it may be up to 3 days closer.
    slack = 3 if schedule.frequency in (MONTHLY, YEARLY) else 0
    return timedelta(days=days * schedule.interval - slack)


@given(schedule=schedules, span=st.integers(0, 4000), offset=st.integers(-400, 4000))
def test_occurrences_increase_within_one_unit_and_never_pass_the_end(
    schedule: Schedule, span: int, offset: int
) -> None:
    first_day = schedule.start + timedelta(days=offset)
    dates = list(schedule.between(first_day, first_day + timedelta(days=span)))
    assert all(first_day <= d <= first_day + timedelta(days=span) for d in dates)
    assert all(schedule.end is None or d <= schedule.end for d in dates)
    for earlier, later in zip(dates, dates[1:], strict=False):
        assert earlier < later
        assert _unit_lower_bound(schedule) <= later - earlier <= _unit_upper_bound(schedule)


@given(schedule=schedules, offset=st.integers(-400, 3000))
def test_first_on_or_after_agrees_with_counting(schedule: Schedule, offset: int) -> None:
    day = schedule.start + timedelta(days=offset)
    k = 0
    while (counted := schedule.occurrence(k)) is not None and counted < day:
        k += 1
    if counted is not None and schedule.end is not None and counted > schedule.end:
        counted = None
    assert schedule.first_on_or_after(day) == counted
    assert next(schedule.between(day, date.max), None) == counted


@given(schedule=schedules, k=st.integers(0, 200))
def test_monthly_and_yearly_keep_the_start_day_or_the_month_end(schedule: Schedule, k: int) -> None:
    found = schedule.occurrence(k)
    if found is None or schedule.frequency in (DAILY, WEEKLY):
        return
    if found.day != schedule.start.day:
        assert found.day < schedule.start.day
        assert (found + timedelta(days=1)).day == 1  # clamped: the last day of its month


@given(schedule=schedules, handled=st.none() | st.dates(date(1890, 1, 1), date(2300, 12, 31)))
def test_next_date_is_after_what_was_handled(schedule: Schedule, handled: date | None) -> None:
    found = next_date(schedule, handled_through=handled)
    if found is not None:
        assert found >= schedule.start
        assert handled is None or found > handled
        assert schedule.end is None or found <= schedule.end
