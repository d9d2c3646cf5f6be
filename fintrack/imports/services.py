"""Writes of imports: a preview (rows loaded in bulk, verdicts by one set-based query), its
commit (set-based inserts), its undo and its deletion; and the start of an export, which
counts against its quota."""

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.core.errors import Conflict
from fintrack.core.money import to_cents
from fintrack.core.names import fold_name
from fintrack.core.search import SQLITE_UPPER_FUNCTION
from fintrack.ledger.models import Entry
from fintrack.ledger.services import categories_for_names, tags_for_names
from fintrack.quotas.selectors import QuotaState
from fintrack.quotas.services import quota_use

from .models import Import, ImportRow, ImportStatus, Verdict
from .reader import ParsedRow

# The quotas (fintrack.quotas) of uploads and exports, named by their rate settings
# (THROTTLE_IMPORT_RATE, THROTTLE_EXPORT_RATE): 20 and 30 in any 60 minutes by default.
IMPORT_QUOTA = "import"
EXPORT_QUOTA = "export"
PREVIEWS_KEPT = 20
PREVIEW_LIFETIME = timedelta(days=7)

_INSERT_ROW = (
    "INSERT INTO imports_importrow (batch_id, line, verdict, errors, kind, amount, date, "
    "category, description, tags, external_id, duplicate_of) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL)"
)

# The verdict of every readable row of one import, in one statement. A row with an external id
# repeats the record of its kind with that id, or an earlier row of the file with it. A row
# without one is numbered among the identical rows of the file (same kind, date, amount and
# description in any case): the k-th of them is a duplicate when at least k identical records
# exist, and then repeats the k-th of those (by id). "In any case" is UPPER, as search reads
# case (LOWER would keep a word's final sigma apart from its capital's other small form). Both
# databases run it as written, but for the function that UPPER is on SQLite (_verdicts_sql).
VERDICTS_SQL = """
WITH import_rows AS (
    SELECT id, line, kind, date, amount, UPPER(description) AS folded, external_id
    FROM imports_importrow
    WHERE batch_id = %s AND verdict <> 'error'
),
by_content AS (
    SELECT id, kind, date, amount, folded,
           ROW_NUMBER() OVER (PARTITION BY kind, date, amount, folded ORDER BY line) AS k
    FROM import_rows
    WHERE external_id IS NULL
),
existing AS (
    SELECT e.id, e.kind, e.date, e.amount, UPPER(e.description) AS folded,
           ROW_NUMBER() OVER (
               PARTITION BY e.kind, e.date, e.amount, UPPER(e.description) ORDER BY e.id
           ) AS k
    FROM ledger_entry e
    WHERE e.user_id = %s AND e.date IN (SELECT date FROM by_content)
),
by_external AS (
    SELECT r.id,
           ROW_NUMBER() OVER (PARTITION BY r.kind, r.external_id ORDER BY r.line) AS k,
           (SELECT e.id FROM ledger_entry e
            WHERE e.user_id = %s AND e.kind = r.kind AND e.external_id = r.external_id
           ) AS match_id
    FROM import_rows r
    WHERE r.external_id IS NOT NULL
),
verdicts AS (
    SELECT c.id, x.id AS match_id, CASE WHEN x.id IS NULL THEN 0 ELSE 1 END AS repeated
    FROM by_content c
    LEFT JOIN existing x
      ON x.kind = c.kind AND x.date = c.date AND x.amount = c.amount
         AND x.folded = c.folded AND x.k = c.k
    UNION ALL
    SELECT id, match_id, CASE WHEN match_id IS NULL AND k = 1 THEN 0 ELSE 1 END
    FROM by_external
)
UPDATE imports_importrow
SET verdict = CASE WHEN v.repeated = 1 THEN 'duplicate' ELSE 'new' END,
    duplicate_of = v.match_id
FROM verdicts v
WHERE imports_importrow.id = v.id
"""

# The new rows of an import as records, in the order of the file (so the ids they get follow
# it: the tags are linked by that order). Categories were resolved and spelled as stored.
_INSERT_ENTRIES = """
INSERT INTO ledger_entry (user_id, kind, amount, date, category_id, description, external_id,
                          recurring_id, import_id, created_at, updated_at)
SELECT %s, r.kind, r.amount, r.date, c.id, r.description, r.external_id, NULL, r.batch_id, %s, %s
FROM imports_importrow r
JOIN ledger_category c ON c.user_id = %s AND c.kind = r.kind AND c.name = r.category
WHERE r.batch_id = %s AND r.verdict = 'new'
ORDER BY r.line
"""


class CreatedImport(NamedTuple):
    batch: Import
    quota: QuotaState | None  # the import quota after this use (None: the quota has no rate)


@transaction.atomic
def import_create(*, user: User, rows: Sequence[ParsedRow], commit: bool = False) -> CreatedImport:
    """Preview a file's rows (nothing created), or commit them at once. Old previews go:
    those older than PREVIEW_LIFETIME, and all but the newest PREVIEWS_KEPT.

    Uses the import quota first (QuotaExceeded when it is used up), in this transaction: an
    import that fails does not use it."""
    quota = quota_use(user=user, scope=IMPORT_QUOTA)
    batch = Import.objects.create(user=user)
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.executemany(
            _INSERT_ROW,
            [
                (
                    batch.pk,
                    row.line,
                    Verdict.ERROR if row.errors else Verdict.NEW,
                    json.dumps(row.errors) if row.errors else "",
                    row.kind if not row.errors else None,
                    to_cents(row.amount) if row.amount is not None and not row.errors else None,
                    ops.adapt_datefield_value(row.date) if not row.errors else None,
                    row.category,
                    row.description,
                    ";".join(row.tags),
                    row.external_id,
                )
                for row in rows
            ],
        )
    _judge(batch)
    _forget_old_previews(user=user)
    if commit:
        batch = import_commit(batch=batch)
    return CreatedImport(batch=batch, quota=quota)


def _verdicts_sql() -> str:
    # SQLite's UPPER() maps A-Z only: there, "in any case" is the function that
    # fintrack.core.search registers on each connection (PostgreSQL's upper(), letter by letter).
    if connection.vendor == "sqlite":
        return VERDICTS_SQL.replace("UPPER(", f"{SQLITE_UPPER_FUNCTION}(")
    return VERDICTS_SQL


def _judge(batch: Import) -> None:
    """Give every readable row its verdict and the import its counts (two queries)."""
    with connection.cursor() as cursor:
        cursor.execute(_verdicts_sql(), [batch.pk, batch.user_id, batch.user_id])
    counts = dict(
        ImportRow.objects.filter(batch=batch)
        .values_list("verdict")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch.new = counts.get(Verdict.NEW, 0)
    batch.duplicates = counts.get(Verdict.DUPLICATE, 0)
    batch.errors = counts.get(Verdict.ERROR, 0)
    batch.rows = batch.new + batch.duplicates + batch.errors
    batch.save(update_fields=["rows", "new", "duplicates", "errors"])


def _forget_old_previews(*, user: User) -> None:
    previews = Import.objects.for_user(user).filter(status=ImportStatus.PREVIEWED)
    kept = list(
        previews.order_by("-created_at", "-id").values_list("id", flat=True)[:PREVIEWS_KEPT]
    )
    stale = previews.exclude(id__in=kept) | previews.filter(
        created_at__lt=timezone.now() - PREVIEW_LIFETIME
    )
    ImportRow.objects.filter(batch__in=stale).delete()
    stale.delete()


def _locked(batch: Import) -> Import:
    return Import.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def import_commit(*, batch: Import) -> Import:
    """Create the new rows of a preview as records, all in this transaction: the verdicts
    judged again first (a record made since the preview turns a row into a duplicate), the
    categories and tags resolved in bulk, the records inserted by one INSERT ... SELECT.
    Conflict unless previewed. The per-day totals follow through the ledger's triggers."""
    batch = _locked(batch)
    if batch.status != ImportStatus.PREVIEWED:
        raise Conflict(f"Only a previewed import can be committed; this one is {batch.status}.")
    _judge(batch)
    user = batch.user
    new_rows = list(
        ImportRow.objects.filter(batch=batch, verdict=Verdict.NEW)
        .order_by("line")
        .values_list("kind", "category", "tags")
    )
    _resolve_categories(batch, user, new_rows)
    tag_names = [row[2].split(";") if row[2] else [] for row in new_rows]
    tags = tags_for_names(user=user, names=(name for names in tag_names for name in names))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_INSERT_ENTRIES, [user.pk, now, now, user.pk, batch.pk])
            inserted = cursor.rowcount
    except IntegrityError as exc:  # a concurrent create took one of the external ids
        raise Conflict(
            "A record with one of these external ids was created meanwhile; commit again."
        ) from exc
    if inserted != len(new_rows):  # a category renamed or deleted meanwhile
        raise Conflict("The categories changed during the commit; commit again.")
    if tags:
        ids = Entry.objects.filter(source_import=batch).order_by("id").values_list("id", flat=True)
        links = [
            (entry_id, tags[fold_name(name)].pk)
            for entry_id, names in zip(ids, tag_names, strict=True)
            for name in dict.fromkeys(names)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO ledger_entrytag (entry_id, tag_id) VALUES (%s, %s)", links
            )
    batch.status = ImportStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.save(update_fields=["status", "committed_at"])
    return batch


def _resolve_categories(batch: Import, user: User, rows: Sequence[tuple[Any, str, str]]) -> None:
    """Find or create the categories of the new rows (by kind, in any case), then spell each
    row's category as stored, so the insert joins on the exact name."""
    spellings: dict[str, str] = {}
    for kind in {row[0] for row in rows}:
        found = categories_for_names(
            user=user, kind=kind, names=(row[1] for row in rows if row[0] == kind)
        )
        for asked, category in found.items():
            if category.name != asked:
                spellings.setdefault(asked, category.name)
    if not spellings:
        return
    cases = " ".join("WHEN %s THEN %s" for _ in spellings)
    params: list[Any] = [value for pair in spellings.items() for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE imports_importrow SET category = CASE category {cases} ELSE category END "  # noqa: S608
            "WHERE batch_id = %s AND verdict = 'new'",
            [*params, batch.pk],
        )


@transaction.atomic
def import_undo(*, batch: Import) -> Import:
    """Delete every record the import created, edited or not (their tags' links first);
    Conflict unless committed. The per-day totals follow through the triggers."""
    batch = _locked(batch)
    if batch.status != ImportStatus.COMMITTED:
        raise Conflict(f"Only a committed import can be undone; this one is {batch.status}.")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ledger_entrytag WHERE entry_id IN "
            "(SELECT id FROM ledger_entry WHERE user_id = %s AND import_id = %s)",
            [batch.user_id, batch.pk],
        )
        cursor.execute(
            "DELETE FROM ledger_entry WHERE user_id = %s AND import_id = %s",
            [batch.user_id, batch.pk],
        )
    batch.status = ImportStatus.UNDONE
    batch.save(update_fields=["status"])
    return batch


@transaction.atomic
def import_delete(*, batch: Import) -> None:
    """Forget a preview or an undone import and its rows; Conflict when committed."""
    batch = _locked(batch)
    if batch.status == ImportStatus.COMMITTED:
        raise Conflict("A committed import cannot be deleted; undo it first.")
    ImportRow.objects.filter(batch=batch).delete()
    batch.delete()


def export_start(*, user: User) -> QuotaState | None:
    """Count an export that is about to be served against the export quota, and return the
    quota's state after it (None when it has no rate); QuotaExceeded when it is used up.
    Called once the request is known to be answered 200: a refused one uses nothing."""
    return quota_use(user=user, scope=EXPORT_QUOTA)
