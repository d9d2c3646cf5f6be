"""The export: every matching record of a user, oldest first, as CSV or JSON text produced
chunk by chunk (the server's memory does not grow with the number of records).

On PostgreSQL the CSV is written by the database itself (COPY ... TO STDOUT), byte for byte
what the Python writer produces: building each row in Python ran at a twentieth of COPY's
rate (issue 14, docs/benchmarks.md)."""

import csv
import io
import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from fintrack.ledger.api.serializers import ENTRY_COLUMNS, entry_representation
from fintrack.ledger.models import Entry
from fintrack.ledger.selectors import entry_tag_names

CSV_HEADER = (
    "id",
    "kind",
    "date",
    "amount",
    "currency",
    "category",
    "description",
    "tags",
    "external_id",
    "recurring_id",
    "import_id",
    "created_at",
    "updated_at",
)
# Rows fetched per round trip (a server-side cursor's fetch on PostgreSQL) and per tags query.
CHUNK_ROWS = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "'", "\t", "\r")

# The record's wire columns, then its kind.
_FIELDS = (*ENTRY_COLUMNS, "kind")


def guard(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading `'` (imports strip it)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _rows(queryset: QuerySet[Entry]) -> QuerySet[Any, Any]:
    """The records as tuples of _FIELDS, oldest first (date, then id): both CSV writers read
    this one query, so the filters and the order are the same for both."""
    return queryset.order_by("date", "id").values_list(*_FIELDS)


def _records(queryset: QuerySet[Entry]) -> Iterator[dict[str, Any]]:
    """Each record as the API shows it, plus `kind`, oldest first (date, then id); one query
    per chunk for the rows (a server-side cursor on PostgreSQL) and one for their tags."""
    tz = timezone.get_current_timezone()
    for chunk in _chunks(_rows(queryset)):
        tags = entry_tag_names(row[0] for row in chunk)
        for row in chunk:
            record = entry_representation(row[:-1], tags.get(row[0], []), tz)
            yield {"id": record.pop("id"), "kind": row[-1], **record}


def _chunks(rows: QuerySet[Any, Any]) -> Iterator[list[Any]]:
    """The rows, CHUNK_ROWS at a time: from one server-side cursor where the database
    connection allows it, else (behind PgBouncer in transaction mode, where no cursor may
    outlive a transaction) by keyset pages on (date, id), so memory stays flat either way."""
    if not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor = rows.iterator(chunk_size=CHUNK_ROWS)
        while chunk := list(islice(cursor, CHUNK_ROWS)):
            yield chunk
        return
    page = rows
    while chunk := list(page[:CHUNK_ROWS]):
        yield chunk
        last_day, last_id = chunk[-1][2], chunk[-1][0]
        page = rows.filter(Q(date__gt=last_day) | Q(date=last_day, id__gt=last_id))


def csv_chunks(queryset: QuerySet[Entry], *, currency: str) -> Iterator[str | bytes]:
    """The CSV export: written by PostgreSQL where it can be (copy_csv_chunks), else row by
    row in Python (python_csv_chunks); the same bytes either way."""
    if copy_applies(queryset):
        return copy_csv_chunks(queryset, currency=currency)
    return python_csv_chunks(queryset, currency=currency)


def python_csv_chunks(queryset: QuerySet[Entry], *, currency: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for count, record in enumerate(_records(queryset), start=1):
        cells = {**record, "currency": currency, "tags": ";".join(record["tags"])}
        writer.writerow(
            "" if cells[name] is None else guard(str(cells[name])) for name in CSV_HEADER
        )
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def copy_applies(queryset: QuerySet[Entry]) -> bool:
    """COPY can write the CSV: on PostgreSQL, with datetimes rendered in UTC (the SQL below
    renders UTC only; another active time zone takes the Python writer).

    Behind PgBouncer in transaction mode too: the COPY is one statement, so one transaction
    in autocommit, holding its server connection until its last row, as it must."""
    return (
        connections[queryset.db].vendor == "postgresql"
        and timezone.get_current_timezone_name() == "UTC"
    )


# A text cell with the formula guard (see guard()); `{0}` is a column of the subquery.
# By the first character's code point (0 for an empty text): half the cost of comparing
# left(cell, 1) with seven strings.
_GUARD_CODES = ", ".join(str(ord(start)) for start in _FORMULA_STARTS)
_GUARDED = f"CASE WHEN ascii({{0}}) IN ({_GUARD_CODES}) THEN '''' || {{0}} ELSE {{0}} END"
# A datetime as _iso_datetime renders it in UTC: microseconds only when there are some, and Z.
_ISO_UTC = (
    "replace(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
)
# The columns of _rows()'s query (_FIELDS), renamed: the SQL below reads them by these names.
_COLUMNS = (
    "id",
    "amount",
    "date",
    "category",
    "description",
    "external_id",
    "recurring_id",
    "import_id",
    "created_at",
    "updated_at",
    "kind",
)
# The tags of each record in entry_tag_names' order (name_key, then name), guarded, NULL
# without tags. The aggregate runs only for a record that has a link: probing the (entry, tag)
# unique index first made untagged records about twenty times cheaper, and this plain CASE
# half the cost of the same in a LATERAL subquery. The guard names the aggregate three times;
# PostgreSQL computes identical aggregates once.
_TAG_NAMES = "string_agg(tag.name, ';' ORDER BY tag.name_key, tag.name)"
_TAGS = (
    "CASE WHEN EXISTS (SELECT FROM ledger_entrytag link WHERE link.entry_id = q.id) "
    f"THEN (SELECT {_GUARDED.format(_TAG_NAMES)} FROM ledger_entrytag link "
    "JOIN ledger_tag tag ON tag.id = link.tag_id WHERE link.entry_id = q.id) END"
)
# The cells of CSV_HEADER, in its order. An empty text becomes NULL, which COPY writes as an
# empty cell (it writes an empty string as ""). Amounts are positive integer cents (a check
# constraint): no sign, and like ids, kinds and dates they never start with a guarded
# character. The currency is a parameter, guarded in Python.
_CELLS = (
    "q.id",
    "q.kind",
    "to_char(q.date, 'YYYY-MM-DD')",
    "(q.amount * 0.01)::text",  # cents times a scale-2 numeric: "12.50", "0.01"
    "%s",
    _GUARDED.format("q.category"),
    _GUARDED.format("NULLIF(q.description, '')"),
    _TAGS,
    _GUARDED.format("NULLIF(q.external_id, '')"),
    "q.recurring_id",
    "q.import_id",
    _ISO_UTC.format("q.created_at"),
    _ISO_UTC.format("q.updated_at"),
)
# The rows' subquery keeps its own ORDER BY (PostgreSQL does not flatten a sorted subquery),
# and the outer one costs no second sort.
_COPY_SQL = (
    "COPY (SELECT {cells} FROM ({rows}) AS q({columns}) ORDER BY q.date, q.id) "
    "TO STDOUT (FORMAT csv)"
)


def copy_csv_chunks(queryset: QuerySet[Entry], *, currency: str) -> Iterator[bytes]:
    """The CSV export written by PostgreSQL: COPY over _rows()'s query (the filtered
    queryset's own SQL and parameters, so the owner scope and every filter are the Python
    writer's) with each cell formatted as python_csv_chunks formats it.

    COPY ends a line with \\n where csv.writer writes \\r\\n. Every COPY message is exactly
    one row ending with its \\n (a line break inside a quoted cell is kept as is by both), so
    that last \\n becomes \\r\\n. The connection is held until the last row, or until the
    response is closed early, when psycopg cancels the COPY and drains it."""
    yield (",".join(CSV_HEADER) + "\r\n").encode()
    rows = _rows(queryset)
    try:
        select, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a condition no record can meet (`__in` an empty list): no rows
        return
    sql = _COPY_SQL.format(cells=", ".join(_CELLS), rows=select, columns=", ".join(_COLUMNS))
    # The currency's placeholder comes first (the cells precede the subquery). The parameters
    # are never empty, so psycopg always merges them (and reads Django's %% as %).
    cell_params = (guard(currency) or None, *params)
    with transaction.atomic(using=rows.db), connections[rows.db].cursor() as cursor:
        # No JIT: the per-record tags subquery inflates the plan's estimated cost past the
        # JIT thresholds, and compiling then took longer than a 5,000-record export whole
        # (over a second with optimization). SET LOCAL lasts this transaction only, so it
        # holds behind PgBouncer in transaction mode too.
        cursor.execute("SET LOCAL jit = off")
        with cursor.cursor.copy(sql, cell_params) as copy:
            yield from _crlf_lines(copy)


def _crlf_lines(copy: Any) -> Iterator[bytes]:
    """COPY's rows, CHUNK_ROWS at a time, each ending with \\r\\n instead of its \\n."""
    rows = iter(copy)
    while lines := list(islice(rows, CHUNK_ROWS)):
        block = b"".join(lines)
        if block.count(b"\n") == len(lines):  # no line break inside a cell: one pass in C
            yield block.replace(b"\n", b"\r\n")
        else:
            yield b"\r\n".join(line[:-1] for line in lines) + b"\r\n"


def json_chunks(queryset: QuerySet[Entry]) -> Iterator[str]:
    yield "["
    separator = ""
    parts: list[str] = []
    for count, record in enumerate(_records(queryset), start=1):
        parts.append(separator + json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        separator = ","
        if count % CHUNK_ROWS == 0:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]"
