"""The triggers that record every change of the user's data in sync_change (see
fintrack/sync/models.py for why triggers, and why a counter on the user row).

Each trigger runs, in the writing transaction: bump the counter of every user whose data the
statement touched (which locks those user rows until commit), then upsert one change row per
object touched, numbered with the user's new counter. PostgreSQL: statement-level triggers
with transition tables, so an import or a bulk create records its changes with two set-based
statements. SQLite: the same SQL in row-level triggers, with the row as a one-row relation.

An emitter is a SELECT of (user_id, type, object_id) from the written rows, `{new}` and
`{old}`: the rows' own changes, and the derived ones a client must see (a contribution
changes its goal's `saved_amount`; a record's tags and a renamed category or tag change what
records, budgets and rules show). A later migration that rebuilds one of these tables on SQLite
drops its triggers: it must call `install(schema_editor)` again (tests check they exist).
"""

from dataclasses import dataclass

from django.db import migrations

# The columns the emitters read, per table (SQLite's one-row relations name them).
COLUMNS = {
    "ledger_entry": ["id", "user_id", "kind"],
    "ledger_category": ["id", "user_id", "name"],
    "ledger_tag": ["id", "user_id", "name"],
    "ledger_entrytag": ["id", "entry_id", "tag_id"],
    "goals_goal": ["id", "user_id"],
    "goals_contribution": ["id", "goal_id"],
    "budgets_budget": ["id", "user_id"],
    "recurring_recurringrule": ["id", "user_id"],
    "recurring_recurringrule_tags": ["id", "recurringrule_id", "tag_id"],
    "imports_import": ["id", "user_id"],
}


@dataclass(frozen=True)
class Emitter:
    table: str
    events: tuple[str, ...]
    select: str  # (user_id, type, object_id) from {new} / {old}
    deleted: bool = False
    name: str = "own"


def _own(table: str, type_sql: str) -> list[Emitter]:
    own = f"SELECT r.user_id, {type_sql}, r.id FROM {{rows}} r"
    return [
        Emitter(table, ("INSERT", "UPDATE"), own.replace("{rows}", "{new}")),
        Emitter(table, ("DELETE",), own.replace("{rows}", "{old}"), deleted=True),
    ]


_CONTRIBUTION = (
    "SELECT g.user_id, 'contribution', r.id FROM {rows} r JOIN goals_goal g ON g.id = r.goal_id"
)
_GOAL_OF = "SELECT g.user_id, 'goal', g.id FROM {rows} r JOIN goals_goal g ON g.id = r.goal_id"
_ENTRY_OF_TAGGING = (
    "SELECT e.user_id, e.kind, e.id FROM {rows} r JOIN ledger_entry e ON e.id = r.entry_id"
)
_RULE_OF_TAGGING = (
    "SELECT x.user_id, 'recurring', x.id FROM {rows} r "
    "JOIN recurring_recurringrule x ON x.id = r.recurringrule_id"
)
_RENAMED = "FROM {new} r JOIN {old} o ON o.id = r.id AND o.name <> r.name"

EMITTERS: list[Emitter] = [
    *_own("ledger_entry", "r.kind"),
    *_own("ledger_category", "'category'"),
    *_own("ledger_tag", "'tag'"),
    *_own("goals_goal", "'goal'"),
    *_own("budgets_budget", "'budget'"),
    *_own("recurring_recurringrule", "'recurring'"),
    Emitter("goals_contribution", ("INSERT", "UPDATE"), _CONTRIBUTION.replace("{rows}", "{new}")),
    Emitter(
        "goals_contribution", ("DELETE",), _CONTRIBUTION.replace("{rows}", "{old}"), deleted=True
    ),
    # The goal's saved amount changed (when the goal itself is being deleted, the ORM deletes
    # its contributions first and the goal's tombstone follows).
    Emitter(
        "goals_contribution", ("INSERT", "UPDATE"), _GOAL_OF.replace("{rows}", "{new}"), name="goal"
    ),
    Emitter("goals_contribution", ("DELETE",), _GOAL_OF.replace("{rows}", "{old}"), name="goal"),
    Emitter("ledger_entrytag", ("INSERT",), _ENTRY_OF_TAGGING.replace("{rows}", "{new}")),
    Emitter("ledger_entrytag", ("DELETE",), _ENTRY_OF_TAGGING.replace("{rows}", "{old}")),
    Emitter(
        "recurring_recurringrule_tags", ("INSERT",), _RULE_OF_TAGGING.replace("{rows}", "{new}")
    ),
    Emitter(
        "recurring_recurringrule_tags", ("DELETE",), _RULE_OF_TAGGING.replace("{rows}", "{old}")
    ),
    Emitter(
        "ledger_category",
        ("UPDATE",),
        f"SELECT e.user_id, e.kind, e.id {_RENAMED} JOIN ledger_entry e ON e.category_id = r.id "
        f"UNION ALL SELECT b.user_id, 'budget', b.id {_RENAMED} "
        "JOIN budgets_budget b ON b.category_id = r.id "
        f"UNION ALL SELECT x.user_id, 'recurring', x.id {_RENAMED} "
        "JOIN recurring_recurringrule x ON x.category_id = r.id",
        name="renamed",
    ),
    Emitter(
        "ledger_tag",
        ("UPDATE",),
        f"SELECT e.user_id, e.kind, e.id {_RENAMED} JOIN ledger_entrytag t ON t.tag_id = r.id "
        "JOIN ledger_entry e ON e.id = t.entry_id "
        f"UNION ALL SELECT x.user_id, 'recurring', x.id {_RENAMED} "
        "JOIN recurring_recurringrule_tags t ON t.tag_id = r.id "
        "JOIN recurring_recurringrule x ON x.id = t.recurringrule_id",
        name="renamed",
    ),
]
# Imports are not in the feed, but their list and objects carry ETags: bump the counter only.
BUMP_ONLY = {"imports_import": ("INSERT", "UPDATE", "DELETE")}


@dataclass(frozen=True)
class Dialect:
    true: str
    false: str
    now: str

    def relation(self, table: str, which: str) -> str:
        raise NotImplementedError


class Postgres(Dialect):
    def relation(self, table: str, which: str) -> str:
        return f"{which.lower()}_rows"


class SQLite(Dialect):
    def relation(self, table: str, which: str) -> str:
        columns = ", ".join(f"{which}.{column} AS {column}" for column in COLUMNS[table])
        return f"(SELECT {columns})"


POSTGRES = Postgres(true="true", false="false", now="now()")
SQLITE = SQLite(
    true="1", false="0", now="strftime('%Y-%m-%d %H:%M:%f', 'now')"
)


def _record_sql(dialect: Dialect, table: str, emitters: list[Emitter]) -> str:
    """Bump, then upsert the change rows, for the emitters of one (table, event)."""
    selects = []
    for emitter in emitters:
        select = emitter.select.replace("{new}", dialect.relation(table, "NEW")).replace(
            "{old}", dialect.relation(table, "OLD")
        )
        flag = dialect.true if emitter.deleted else dialect.false
        selects.append(
            f"SELECT DISTINCT c.user_id AS user_id, c.type AS type, c.object_id AS object_id, "
            f"{flag} AS deleted FROM ({_named(select)}) c"
        )
    changed = " UNION ".join(selects)  # UNION: an object once per statement
    return f"""
        UPDATE accounts_user SET change_seq = change_seq + 1
        WHERE id IN (SELECT user_id FROM ({changed}) touched);
        INSERT INTO sync_change (user_id, type, object_id, seq, deleted, changed_at)
        SELECT c.user_id, c.type, c.object_id, u.change_seq, c.deleted, {dialect.now}
        FROM ({changed}) c JOIN accounts_user u ON u.id = c.user_id
        WHERE true
        ON CONFLICT (user_id, type, object_id) DO UPDATE
        SET seq = excluded.seq, deleted = excluded.deleted, changed_at = excluded.changed_at;
    """


def _named(select: str) -> str:
    """Each branch of an emitter's SELECT with its columns named."""
    branches = select.split(" UNION ALL ")
    named = []
    for branch in branches:
        head, rest = branch[len("SELECT ") :].split(" FROM ", 1)
        user, type_, object_id = (part.strip() for part in head.split(", "))
        named.append(
            f"SELECT {user} AS user_id, {type_} AS type, {object_id} AS object_id FROM {rest}"
        )
    return " UNION ALL ".join(named)


def _bump_sql(dialect: Dialect, table: str, event: str) -> str:
    rows = dialect.relation(table, "OLD" if event == "DELETE" else "NEW")
    return f"""
        UPDATE accounts_user SET change_seq = change_seq + 1
        WHERE id IN (SELECT r.user_id FROM {rows} r);
    """


def _groups() -> dict[tuple[str, str], list[Emitter]]:
    groups: dict[tuple[str, str], list[Emitter]] = {}
    for emitter in EMITTERS:
        for event in emitter.events:
            groups.setdefault((emitter.table, event), []).append(emitter)
    return groups


def _trigger_name(table: str, event: str) -> str:
    return f"sync_{table}_{event.lower()}"


def _bodies(dialect: Dialect) -> list[tuple[str, str, str]]:
    """(table, event, SQL body) of every trigger."""
    bodies = [(t, e, _record_sql(dialect, t, ems)) for (t, e), ems in _groups().items()]
    for table, events in BUMP_ONLY.items():
        bodies += [(table, event, _bump_sql(dialect, table, event)) for event in events]
    return bodies


# PostgreSQL only: the user's row is locked before the first row of theirs is written, not
# after the statement. Otherwise two transactions of one user deadlock: one holds a per-day
# total's row (ledger_entry's daily-total trigger) and waits for the user's row, which the
# other took in an earlier statement and holds while it waits for that per-day total. Once per
# user and transaction: a transaction-local setting remembers it.
LOCKED_TABLES = [
    "ledger_entry",
    "ledger_category",
    "ledger_tag",
    "goals_goal",
    "budgets_budget",
    "recurring_recurringrule",
]
_LOCK_FUNCTION = """
CREATE OR REPLACE FUNCTION sync_lock_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN owner := OLD.user_id; ELSE owner := NEW.user_id; END IF;
    IF current_setting('fintrack.locked_user', true) IS DISTINCT FROM owner::text THEN
        PERFORM 1 FROM accounts_user WHERE id = owner FOR NO KEY UPDATE;
        PERFORM set_config('fintrack.locked_user', owner::text, true);
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$
"""


def _lock_statements() -> list[str]:
    statements = [_LOCK_FUNCTION]
    for table in LOCKED_TABLES:
        name = f"sync_{table}_lock_user"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"""CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION sync_lock_user()""",
        ]
    return statements


def postgres_statements() -> list[str]:
    statements = _lock_statements()
    for table, event, body in _bodies(POSTGRES):
        name = _trigger_name(table, event)
        referencing = {
            "INSERT": "NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        }[event]
        statements += [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN {body} RETURN NULL; END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"""CREATE TRIGGER {name} AFTER {event} ON {table}
                REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
        ]
    return statements


def sqlite_statements() -> list[str]:
    statements = []
    for table, event, body in _bodies(SQLITE):
        name = _trigger_name(table, event)
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END",
        ]
    return statements


def trigger_names() -> list[str]:
    names = [_trigger_name(t, e) for (t, e) in _groups()]
    names += [_trigger_name(t, e) for t, events in BUMP_ONLY.items() for e in events]
    return names


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = postgres_statements() if vendor == "postgresql" else sqlite_statements()
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in LOCKED_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS sync_{table}_lock_user ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS sync_lock_user()")
    for (table, event) in [*_groups(), *((t, e) for t, es in BUMP_ONLY.items() for e in es)]:
        name = _trigger_name(table, event)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


BACKFILL = [
    ("ledger_entry", "user_id", "kind"),
    ("ledger_category", "user_id", "'category'"),
    ("ledger_tag", "user_id", "'tag'"),
    ("goals_goal", "user_id", "'goal'"),
    ("budgets_budget", "user_id", "'budget'"),
    ("recurring_recurringrule", "user_id", "'recurring'"),
]


def forward(apps, schema_editor) -> None:
    # What exists already: upserts numbered 0, before any change the triggers will number.
    dialect = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for table, user, type_sql in BACKFILL:
        schema_editor.execute(
            f"INSERT INTO sync_change (user_id, type, object_id, seq, deleted, changed_at) "
            f"SELECT {user}, {type_sql}, id, 0, {dialect.false}, {dialect.now} FROM {table}"
        )
    schema_editor.execute(
        "INSERT INTO sync_change (user_id, type, object_id, seq, deleted, changed_at) "
        f"SELECT g.user_id, 'contribution', c.id, 0, {dialect.false}, {dialect.now} "
        "FROM goals_contribution c JOIN goals_goal g ON g.id = c.goal_id"
    )
    install(schema_editor)


def backward(apps, schema_editor) -> None:
    uninstall(schema_editor)
    schema_editor.execute("DELETE FROM sync_change")


class Migration(migrations.Migration):
    dependencies = [
        ("sync", "0001_initial"),
        ("accounts", "0004_user_change_seq_user_changes_purged_seq"),
        ("ledger", "0007_entry_import_foreign_key"),
        ("goals", "0002_goal_name_key"),
        ("budgets", "0001_initial"),
        ("recurring", "0001_initial"),
        ("imports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
