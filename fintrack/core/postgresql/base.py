"""Django's PostgreSQL backend, whose connection health check costs no round trip.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` before the first statement of every request on a
reused connection: a whole round trip, a quarter of a request that runs one query of its own
(`make bench-profile SCENARIO=ceiling`). Without any check, the first request on each worker
after PostgreSQL restarts would fail. Here the request's first statement is the check: when it
is a read, outside any transaction, it is sent straight away and, if the connection turns out
to be lost, sent once more on a new one (reading twice changes nothing). Before anything that
could write or hold state (a transaction, a write statement, a server-side cursor) the
`SELECT 1` is still sent first, since a statement that may have run cannot be sent again.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

READ_STARTS = ("SELECT", "WITH")  # a WITH may write too: checked below


def is_read(sql: str) -> bool:
    """A plain read: safe to send again."""
    head = sql.lstrip()[:6].upper()
    if not head.startswith(READ_STARTS):
        return False
    # A data-modifying WITH, or SELECT ... FOR UPDATE (only meaningful in a transaction).
    upper = sql.upper()
    return not any(word in upper for word in ("INSERT ", "UPDATE ", "DELETE ", "NEXTVAL("))


class DatabaseWrapper(base.DatabaseWrapper):
    _check_now = False
    # Set by Django's connect() (the stubs do not declare them).
    health_check_enabled: bool
    health_check_done: bool

    @contextmanager
    def _checking(self, now: bool) -> Iterator[None]:
        previous, self._check_now = self._check_now, self._check_now or now
        try:
            yield
        finally:
            self._check_now = previous

    def close_if_health_check_failed(self) -> None:
        # Called by Django before any use of a connection. The check itself waits for the first
        # statement (first_statement), unless what comes next cannot be sent twice.
        if self._check_now:
            super().close_if_health_check_failed()

    def set_autocommit(
        self, autocommit: bool, force_begin_transaction_with_broken_autocommit: bool = False
    ) -> None:
        # Opening a transaction: a statement inside one cannot be sent again.
        with self._checking(not autocommit):
            super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)

    def _cursor(self, name: str | None = None) -> Any:
        # A server-side cursor lives on its connection: check before declaring it.
        with self._checking(bool(name)):
            return super()._cursor(name)  # type: ignore[misc]

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return CheckingCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorDebugWrapper:
        return CheckingCursorDebugWrapper(cursor, self)

    def first_statement(self, wrapper: CursorWrapper, sql: str, send: Callable[[], Any]) -> Any:
        """Send a statement; the request's first on a reused connection checks it."""
        if self.health_check_done or not self.health_check_enabled or self.in_atomic_block:
            return send()
        if not is_read(sql):
            connection = self.connection
            with self._checking(True):
                self.close_if_health_check_failed()
            if self.connection is not connection:  # it was lost: a new one, a new cursor
                self.ensure_connection()
                wrapper.cursor = self.create_cursor()
            return send()
        self.health_check_done = True
        try:
            return send()
        except DatabaseError:
            if not self._lost():
                raise
        self.close()
        self.ensure_connection()
        wrapper.cursor = self.create_cursor()
        return send()

    def _lost(self) -> bool:
        connection = self.connection
        return connection is None or bool(connection.closed or connection.broken)


class _Checking:
    db: DatabaseWrapper
    cursor: Any

    # A server-side cursor needs nothing here: _cursor(name) checked before declaring it.
    def _execute(self, sql: str, params: Any, *ignored_wrapper_args: Any) -> Any:
        return self.db.first_statement(
            self,  # type: ignore[arg-type]
            sql,
            lambda: super(_Checking, self)._execute(sql, params, *ignored_wrapper_args),  # type: ignore[misc]
        )

    def _executemany(self, sql: str, param_list: Any, *ignored_wrapper_args: Any) -> Any:
        return self.db.first_statement(
            self,  # type: ignore[arg-type]
            "",  # never a read: checked before
            lambda: super(_Checking, self)._executemany(sql, param_list, *ignored_wrapper_args),  # type: ignore[misc]
        )


class CheckingCursorWrapper(_Checking, CursorWrapper):
    pass


class CheckingCursorDebugWrapper(_Checking, CursorDebugWrapper):
    pass
