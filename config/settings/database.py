"""Connection pooling for the default database: PgBouncer in front, or psycopg's own pool.

Two ways to put many gunicorn workers on few PostgreSQL connections (README, Configuration):

- ``DATABASE_POOLER=pgbouncer``: DATABASE_URL points at PgBouncer in *transaction* mode, where
  consecutive transactions of one client may run on different server connections. Nothing may
  outlive a transaction: no server-side cursors (Django keeps them open across transactions
  for ``.iterator()``), no prepared statements (Django's psycopg backend already sets
  ``prepare_threshold`` to None), no session ``SET``. fintrack sets no session state of its own.
- ``DATABASE_POOL_SIZE=N`` (N > 0): psycopg's pool inside each process (Django 5.1+
  ``OPTIONS["pool"]``), at most N connections per gunicorn worker. A pool replaces persistent
  connections, so CONN_MAX_AGE is 0 with it.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
# Django's, with a health check that costs no round trip (its module says how).
CHECKING_POSTGRESQL = "fintrack.core.postgresql"
POOLERS = ("", "pgbouncer")


def configure_pooling(database: dict[str, Any], *, pooler: str, pool_size: int) -> dict[str, Any]:
    """Adjust one DATABASES entry in place for the pooling asked for; returns it."""
    pooler = pooler.strip().lower()
    if pooler not in POOLERS:
        raise ImproperlyConfigured(f"DATABASE_POOLER must be empty or 'pgbouncer', not {pooler!r}.")
    if pool_size < 0:
        raise ImproperlyConfigured("DATABASE_POOL_SIZE must be 0 (no pool) or more.")
    if (pooler or pool_size) and database["ENGINE"] not in (POSTGRESQL, CHECKING_POSTGRESQL):
        raise ImproperlyConfigured("DATABASE_POOLER and DATABASE_POOL_SIZE need PostgreSQL.")
    if pooler == "pgbouncer":
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    if pool_size:
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": 10,
        }
        database["CONN_MAX_AGE"] = 0
    return database


def uses_pool(database: dict[str, Any]) -> bool:
    return bool(database.get("OPTIONS", {}).get("pool"))
