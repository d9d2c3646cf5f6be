"""Calendar periods: months as `YYYY-MM`, inclusive date ranges, the period before."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils import timezone

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
# A month parameter in the OpenAPI schema (year 0000 passes it; parse_month refuses it).
MONTH_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])$"


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar dates."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before. OverflowError before year 1."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def previous_month(self) -> "Period":
        """The calendar month before the one this period starts in. ValueError before year 1."""
        return month_period(*shift_month(self.start.year, self.start.month, -1))


def month_period(year: int, month: int) -> Period:
    last_day = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last_day))


def parse_month(value: str) -> Period:
    """`YYYY-MM` -> that whole month; ValueError for anything else."""
    match = _MONTH_PATTERN.match(value.strip())
    if not match:
        raise ValueError("Enter a month as YYYY-MM.")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise ValueError("Enter a month as YYYY-MM.")
    return month_period(year, month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by `delta` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def current_month() -> Period:
    """The current calendar month in UTC."""
    today = timezone.now().date()
    return month_period(today.year, today.month)


class MonthField(forms.CharField):
    """A form field for `YYYY-MM` that cleans to the month's Period."""

    def to_python(self, value: object) -> Period | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
