"""Reading a bank's CSV: the header, each row's cells to a record as it would be created, and
its field errors (the rules and messages of a create, from the record serializer's fields)."""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from fintrack.core.errors import ApplicationError, Invalid
from fintrack.ledger.api.serializers import EntryInputSerializer
from fintrack.ledger.models import DEFAULT_CATEGORY, Kind

MAX_ROWS = 50_000

# Each accepted date_format: the cells' pattern and the order of its groups (year, month, day).
DATE_FORMATS: dict[str, tuple[re.Pattern[str], tuple[int, int, int]]] = {
    "YYYY-MM-DD": (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),
    "DD/MM/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (2, 1, 0)),
    "MM/DD/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (2, 0, 1)),
    "DD.MM.YYYY": (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), (2, 1, 0)),
}
DECIMALS = ("point", "comma")

# A number with the decimal mark of each option; thousands grouped by the other mark or none.
_NUMBER = {
    "point": re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+"),
    "comma": re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|[+-]?,\d+"),
}
REQUIRED_COLUMNS = ("date", "amount")
COLUMNS = (*REQUIRED_COLUMNS, "kind", "category", "description", "tags", "external_id", "currency")
# The export's formula guard, undone: a cell "'=..." was "=..." before it was exported.
_GUARDED = ("=", "+", "-", "@", "'", "\t", "\r")


class TooManyRows(ApplicationError):
    """The file has more data rows than an import takes (the API answers 413)."""


@dataclass(frozen=True)
class ReadOptions:
    date_format: str = "YYYY-MM-DD"
    decimal: str = "point"


@dataclass
class ParsedRow:
    """A data row: the record it would create, or its field errors."""

    line: int
    errors: dict[str, list[str]] | None = None
    kind: str | None = None
    amount: Decimal | None = None
    date: datetime.date | None = None
    category: str = DEFAULT_CATEGORY
    description: str = ""
    tags: list[str] = field(default_factory=list)
    external_id: str | None = None


def unguard(cell: str) -> str:
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in _GUARDED else cell


def read_rows(*, text: str, options: ReadOptions, currency: str) -> list[ParsedRow]:
    """Every data row of the file, in order; Invalid for a file that cannot be read (no
    header, a required column missing, broken quoting), TooManyRows past MAX_ROWS."""
    records = _records(text)
    try:
        header_line, header = next(records)
    except StopIteration:
        raise Invalid({"file": ["The file is empty."]}) from None
    columns = _columns(header)
    reader = _RowReader(columns=columns, width=len(header), options=options, currency=currency)
    rows: list[ParsedRow] = []
    for line, cells in records:
        if len(rows) == MAX_ROWS:
            raise TooManyRows(f"An import takes at most {MAX_ROWS:,} data rows.")
        rows.append(reader.read(line, cells))
    if not rows:
        raise Invalid({"file": [f"The file has a header (line {header_line}) but no data rows."]})
    return rows


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its cells), blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            if cells and any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise Invalid(
            {"file": [f"Line {reader.line_num}: the CSV cannot be read ({exc})."]}
        ) from exc


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower()
        if name not in COLUMNS:
            continue
        if name in columns:
            errors[name] = [f"The header has the column {name} twice."]
        columns[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            errors[name] = [f"The header has no {name} column (it is required)."]
    if errors:
        raise Invalid(errors)
    return columns


class _RowReader:
    """Turns cells into a ParsedRow with the record serializer's fields (same rules and
    messages as a create)."""

    def __init__(
        self, *, columns: dict[str, int], width: int, options: ReadOptions, currency: str
    ) -> None:
        self.columns = columns
        self.width = width
        self.options = options
        self.currency = currency
        self.fields = EntryInputSerializer().fields
        self.date_pattern, self.date_order = DATE_FORMATS[options.date_format]

    def read(self, line: int, cells: list[str]) -> ParsedRow:
        row = ParsedRow(line=line)
        if len(cells) != self.width:
            row.errors = {
                "non_field_errors": [
                    f"The row has {len(cells)} cells; the header has {self.width}."
                ]
            }
            return row
        values = {name: unguard(cells[position]) for name, position in self.columns.items()}
        errors: dict[str, list[str]] = {}
        self._kind_and_amount(row, values, errors)
        self._date(row, values["date"], errors)
        currency = values.get("currency")
        if currency is not None and currency.strip().upper() != self.currency:
            errors["currency"] = [
                f"Every amount is in {self.currency}, your currency; imports never convert."
            ]
        for name in ("category", "description", "external_id"):
            value = values.get(name, "")
            if value != "":
                setattr(row, name, self._validated(name, value, errors, getattr(row, name)))
        tags = values.get("tags", "")
        names = [name for name in tags.split(";") if name.strip()]
        if names:
            row.tags = self._validated("tags", names, errors, [])
        if errors:
            return ParsedRow(line=line, errors=errors)
        return row

    def _validated(self, name: str, value: Any, errors: dict[str, list[str]], default: Any) -> Any:
        try:
            return self.fields[name].run_validation(value)
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, list) else [exc.detail]
            errors[name] = [str(message) for message in detail]
            return default

    def _kind_and_amount(
        self, row: ParsedRow, values: dict[str, str], errors: dict[str, list[str]]
    ) -> None:
        text = values["amount"].strip().replace(" ", "")
        if "kind" in self.columns:
            kind = values["kind"].strip().lower()
            if kind not in Kind.values:
                errors["kind"] = [f'"{values["kind"]}" is not a valid choice.']
            row.kind = kind
        elif text.startswith("-"):
            row.kind, text = Kind.EXPENSE, text[1:]
        else:
            row.kind, text = Kind.INCOME, text.removeprefix("+")
        if text == "":
            errors["amount"] = ["This field is required."]
            return
        if not _NUMBER[self.options.decimal].fullmatch(text):
            errors["amount"] = ["A valid number is required."]
            return
        if self.options.decimal == "comma":
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        row.amount = self._validated("amount", text, errors, None)

    def _date(self, row: ParsedRow, text: str, errors: dict[str, list[str]]) -> None:
        match = self.date_pattern.fullmatch(text.strip())
        if match is not None:
            year, month, day = (int(match.group(i + 1)) for i in self.date_order)
            try:
                row.date = datetime.date(year, month, day)
                return
            except ValueError:
                pass
        if text.strip() == "":
            errors["date"] = ["This field is required."]
        else:
            # A create's own words (DRF's DateField), with the import's date_format.
            invalid = serializers.DateField.default_error_messages["invalid"]
            errors["date"] = [str(invalid).format(format=self.options.date_format)]
