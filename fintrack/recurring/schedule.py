"""Occurrence arithmetic of a recurring rule: pure functions of dates, no database.

Occurrence k (k = 0, 1, 2...) is `start` + k * interval units. Monthly and yearly occurrences
keep the day of `start` and fall on the last day of a shorter month; the anchor is always
`start` itself, never the previous occurrence, so a rule from the 31st returns to the 31st
after a 30-day month (and one from Feb 29 to Feb 29 in the next leap year).
"""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
YEARLY = "yearly"
FREQUENCIES = (DAILY, WEEKLY, MONTHLY, YEARLY)

MIN_INTERVAL = 1
MAX_INTERVAL = 365


def _add_months(start: date, months: int) -> date | None:
    """`start` moved by whole months, its day clamped to the month's length; None past 9999."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year = start.year + years
    if year > date.max.year:
        return None
    month = month_index + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    """When a rule occurs: every `interval` days, weeks, months or years from `start`, up to
    `end` (inclusive) when it has one."""

    frequency: str
    interval: int
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if not MIN_INTERVAL <= self.interval <= MAX_INTERVAL:
            raise ValueError(f"interval {self.interval} out of range")

    def _step_days(self) -> int:
        return self.interval * (7 if self.frequency == WEEKLY else 1)

    def _step_months(self) -> int:
        return self.interval * (12 if self.frequency == YEARLY else 1)

    def _by_days(self) -> bool:
        return self.frequency in (DAILY, WEEKLY)

    def occurrence(self, k: int) -> date | None:
        """Occurrence k, ignoring `end`; None when it would fall after year 9999."""
        if self._by_days():
            try:
                return self.start + timedelta(days=k * self._step_days())
            except OverflowError:
                return None
        return _add_months(self.start, k * self._step_months())

    def _index_on_or_after(self, day: date) -> int:
        """The smallest k whose occurrence is on or after `day`."""
        if day <= self.start:
            return 0
        if self._by_days():
            step = self._step_days()
            return -(-(day - self.start).days // step)  # ceiling division
        step = self._step_months()
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        k = months // step
        # Occurrence k lies in day's month or an earlier one, so k or k + 1 is the answer.
        found = self.occurrence(k)
        return k if found is not None and found >= day else k + 1

    def first_on_or_after(self, day: date) -> date | None:
        """The first occurrence dated `day` or later; None when the rule has ended by then."""
        found = self.occurrence(self._index_on_or_after(day))
        if found is None or (self.end is not None and found > self.end):
            return None
        return found

    def first_after(self, day: date) -> date | None:
        """The first occurrence strictly after `day`; None when the rule has ended by then."""
        if day >= date.max:
            return None
        return self.first_on_or_after(day + timedelta(days=1))

    def between(self, first: date, last: date) -> Iterator[date]:
        """The occurrences dated from `first` to `last` (both inclusive), oldest first."""
        if self.end is not None:
            last = min(last, self.end)
        k = self._index_on_or_after(first)
        while (found := self.occurrence(k)) is not None and found <= last:
            yield found
            k += 1


def next_date(schedule: Schedule, *, handled_through: date | None) -> date | None:
    """The first occurrence not yet handled: after `handled_through` (the day through which
    every occurrence was created or skipped by a pause), or the first of all when None."""
    if handled_through is None:
        return schedule.first_on_or_after(schedule.start)
    return schedule.first_after(handled_through)


def resumed_handled_through(handled_through: date | None, *, today: date) -> date:
    """The watermark of a rule reactivated today: the occurrences dated while it was paused
    (before today) count as handled, so they are skipped, never created late."""
    yesterday = today - timedelta(days=1)
    if handled_through is None or handled_through < yesterday:
        return yesterday
    return handled_through
