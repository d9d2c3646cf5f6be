"""Reads of users."""

import threading
from typing import Any

from django.db import connections, router

from .models import User

_compiled = threading.local()  # per thread: a compiler holds its thread's connection


class _UserById:
    """`SELECT <every column> FROM accounts_user WHERE id = %s`, compiled by the ORM once.

    Every authenticated request loads its user (the token generation and the recurring due date
    are checked on that row); building the same queryset and compiling it again each time was
    a seventh of a request that does nothing else (`make bench-profile SCENARIO=ceiling`). The
    statement, and the converters the database needs for its columns, are Django's own."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        compiler = User.objects.using(alias).filter(pk=0).query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        if len(params) != 1:  # the one parameter is the id
            raise AssertionError(f"unexpected parameters {params!r} in {self.sql}")
        self.compiler = compiler
        selected = [column for column, _, _ in compiler.select]
        self.converters = compiler.get_converters(selected)
        self.attnames = [column.target.attname for column in selected]

    def get(self, user_id: int) -> User | None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, [user_id])
            row: Any = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(self.compiler.apply_converters([row], self.converters))
        return User.from_db(self.alias, self.attnames, row)


def user_by_id(user_id: int) -> User | None:
    """The user with this id, every field loaded, or None."""
    alias = router.db_for_read(User)
    statements: dict[str, _UserById] = getattr(_compiled, "statements", None) or {}
    statement = statements.get(alias)
    if statement is None or statement.compiler.connection is not connections[alias]:
        statement = statements[alias] = _UserById(alias)
        _compiled.statements = statements
    return statement.get(user_id)
