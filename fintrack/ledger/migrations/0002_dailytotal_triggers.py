"""Triggers that keep ledger_dailytotal equal to the per-day sums of ledger_entry.

PostgreSQL: statement-level triggers with transition tables, so a bulk load (COPY, a
multi-row INSERT) updates the totals with one grouped upsert. SQLite: row-level triggers.
"""

from django.db import migrations

KEY = "user_id, date, kind, category_id"
MATCH = "d.user_id = o.user_id AND d.date = o.date AND d.kind = o.kind AND d.category_id = o.category_id"

POSTGRES_ADD = f"""
    INSERT INTO ledger_dailytotal ({KEY}, total, count)
    SELECT {KEY}, SUM(amount), COUNT(*) FROM new_rows
    GROUP BY {KEY} ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE
    SET total = ledger_dailytotal.total + EXCLUDED.total,
        count = ledger_dailytotal.count + EXCLUDED.count;
"""
POSTGRES_REMOVE = f"""
    UPDATE ledger_dailytotal d SET total = d.total - o.total, count = d.count - o.count
    FROM (SELECT {KEY}, SUM(amount) AS total, COUNT(*) AS count FROM old_rows
          GROUP BY {KEY} ORDER BY {KEY}) o
    WHERE {MATCH};
    DELETE FROM ledger_dailytotal d USING (SELECT DISTINCT {KEY} FROM old_rows) o
    WHERE {MATCH} AND d.count <= 0;
"""


def _postgres_function(name: str, body: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
    {body}
    RETURN NULL;
    END $$;
    """


POSTGRES_FORWARD = [
    _postgres_function("ledger_dailytotal_on_insert", POSTGRES_ADD),
    _postgres_function("ledger_dailytotal_on_delete", POSTGRES_REMOVE),
    _postgres_function("ledger_dailytotal_on_update", POSTGRES_REMOVE + POSTGRES_ADD),
    """CREATE TRIGGER ledger_entry_dailytotal_insert AFTER INSERT ON ledger_entry
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_dailytotal_on_insert()""",
    """CREATE TRIGGER ledger_entry_dailytotal_delete AFTER DELETE ON ledger_entry
       REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_dailytotal_on_delete()""",
    """CREATE TRIGGER ledger_entry_dailytotal_update AFTER UPDATE ON ledger_entry
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_dailytotal_on_update()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_insert ON ledger_entry",
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_delete ON ledger_entry",
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_update ON ledger_entry",
    "DROP FUNCTION IF EXISTS ledger_dailytotal_on_insert()",
    "DROP FUNCTION IF EXISTS ledger_dailytotal_on_delete()",
    "DROP FUNCTION IF EXISTS ledger_dailytotal_on_update()",
]

SQLITE_ADD = f"""
    INSERT INTO ledger_dailytotal ({KEY}, total, count)
    VALUES (NEW.user_id, NEW.date, NEW.kind, NEW.category_id, NEW.amount, 1)
    ON CONFLICT ({KEY}) DO UPDATE SET total = total + excluded.total, count = count + 1;
"""
_OLD_KEY = (
    "user_id = OLD.user_id AND date = OLD.date AND kind = OLD.kind "
    "AND category_id = OLD.category_id"
)
SQLITE_REMOVE = f"""
    UPDATE ledger_dailytotal SET total = total - OLD.amount, count = count - 1 WHERE {_OLD_KEY};
    DELETE FROM ledger_dailytotal WHERE {_OLD_KEY} AND count <= 0;
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER ledger_entry_dailytotal_insert AFTER INSERT ON ledger_entry
        FOR EACH ROW BEGIN {SQLITE_ADD} END""",
    f"""CREATE TRIGGER ledger_entry_dailytotal_delete AFTER DELETE ON ledger_entry
        FOR EACH ROW BEGIN {SQLITE_REMOVE} END""",
    f"""CREATE TRIGGER ledger_entry_dailytotal_update AFTER UPDATE ON ledger_entry
        FOR EACH ROW BEGIN {SQLITE_REMOVE} {SQLITE_ADD} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_insert",
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_delete",
    "DROP TRIGGER IF EXISTS ledger_entry_dailytotal_update",
]

BACKFILL = f"""
    INSERT INTO ledger_dailytotal ({KEY}, total, count)
    SELECT {KEY}, SUM(amount), COUNT(*) FROM ledger_entry GROUP BY {KEY}
"""


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"No daily-total triggers for {vendor}")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "postgresql": ["DELETE FROM ledger_dailytotal", BACKFILL, *POSTGRES_FORWARD],
                    "sqlite": ["DELETE FROM ledger_dailytotal", BACKFILL, *SQLITE_FORWARD],
                }
            ),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
