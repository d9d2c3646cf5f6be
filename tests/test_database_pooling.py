"""DATABASE_POOLER=pgbouncer and DATABASE_POOL_SIZE (config/settings/database.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.database import configure_pooling, uses_pool


def postgresql() -> dict:
    return {"ENGINE": "django.db.backends.postgresql", "NAME": "fintrack", "CONN_MAX_AGE": 60}


def test_nothing_asked_changes_nothing() -> None:
    assert configure_pooling(postgresql(), pooler="", pool_size=0) == postgresql()


def test_pgbouncer_in_transaction_mode_gets_no_server_side_cursors() -> None:
    database = configure_pooling(postgresql(), pooler="PgBouncer", pool_size=0)
    assert database == {**postgresql(), "DISABLE_SERVER_SIDE_CURSORS": True}
    assert not uses_pool(database)


def test_psycopg_pool_replaces_persistent_connections() -> None:
    database = configure_pooling(postgresql(), pooler="", pool_size=4)
    assert database["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 4, "timeout": 10}}
    assert database["CONN_MAX_AGE"] == 0
    assert uses_pool(database)


def test_both_together() -> None:
    database = configure_pooling(postgresql(), pooler="pgbouncer", pool_size=2)
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["pool"]["max_size"] == 2


@pytest.mark.parametrize(
    ("database", "pooler", "size", "message"),
    [
        (postgresql(), "pgpool", 0, "DATABASE_POOLER must be empty or 'pgbouncer'"),
        (postgresql(), "", -1, "DATABASE_POOL_SIZE must be 0"),
        ({"ENGINE": "django.db.backends.sqlite3"}, "pgbouncer", 0, "need PostgreSQL"),
        ({"ENGINE": "django.db.backends.sqlite3"}, "", 3, "need PostgreSQL"),
    ],
)
def test_refuses_what_cannot_work(database: dict, pooler: str, size: int, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        configure_pooling(database, pooler=pooler, pool_size=size)


@pytest.mark.django_db
def test_the_pool_serves_queries_on_postgresql() -> None:
    """A real connection through Django's psycopg pool, when the suite runs on PostgreSQL."""
    from django.db import connection
    from django.db.backends.postgresql.base import DatabaseWrapper

    default = connection.settings_dict  # the test database
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's pool is PostgreSQL only")
    database = configure_pooling({**default, "OPTIONS": {}}, pooler="", pool_size=2)
    pooled = DatabaseWrapper(database, alias="pooled")
    try:
        with pooled.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone() == (default["NAME"],)
        assert pooled.pool is not None
        assert pooled.pool.max_size == 2
    finally:
        pooled.close()
        pooled.close_pool()
