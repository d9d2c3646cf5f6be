"""Substring search that ignores the case of every letter, alike on SQLite and PostgreSQL.

Django's `icontains` is `UPPER(column) LIKE UPPER(term)` on PostgreSQL, whose upper() maps
each letter by Unicode's simple (one-to-one) uppercase mapping under a UTF-8 locale, but
`column LIKE term` on SQLite, which ignores the case of A-Z only. The `icontains_unicode`
lookup keeps PostgreSQL's SQL as it is (ledger migration 0006 built the trigram indexes on
that very expression) and, on SQLite, compares both sides through `upper_simple()`, a Python
function registered on each connection that maps letters as PostgreSQL's upper() does.

Not `fold_name()`: its full case folding (ß to ss, the ligatures, NFKC) has no indexable
equivalent on PostgreSQL, and a search that found more on the development database than on
the production one would be worse than one that finds the same on both.
"""

import functools
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import IContains, Lookup

SQLITE_UPPER_FUNCTION = "FINTRACK_UPPER_SIMPLE"

# The capitals that a letter beyond ASCII shares with an ASCII one: I (of the dotless ı) and S
# (of the long ſ). tests/test_core_search.py checks this against every code point.
SHARED_ASCII_CAPITALS = frozenset("IS")


@functools.cache
def _upper_char(char: str) -> str:
    upper = char.upper()
    if len(upper) == 1:
        return upper
    # Python's upper() is the full mapping: a letter whose capital is several letters (ß, ŉ,
    # the ligatures) keeps itself, except the Greek letters with ypogegrammeni, whose simple
    # uppercase is their titlecase form (ᾳ to ᾼ).
    title = char.title()
    return title if len(title) == 1 else char


def upper_simple(value: str) -> str:
    """`value` with each letter mapped by Unicode's simple uppercase mapping, one for one.

    The same string as PostgreSQL's upper() under a UTF-8 libc locale (tests/test_core_search.py
    compares them on every code point).
    """
    upper = value.upper()
    # No letter grew: each took its one-letter capital, which is the simple mapping.
    if len(upper) == len(value):
        return upper
    return "".join(map(_upper_char, value))


def like_candidates(term: str) -> str:
    """A LIKE pattern (escaped with a backslash) that every text containing `term`, in any
    case, matches: the cheap first pass that spares most rows a call to Python.

    `upper_simple()` maps one character to one, so a match lines up character by character.
    SQLite's LIKE ignores the case of ASCII letters only (case_sensitive_like is never turned
    on), so an ASCII character is kept unless its capital is shared with a letter beyond ASCII;
    any other becomes `_`, any one character.
    """
    pattern = []
    for char in term:
        if not char.isascii() or char.upper() in SHARED_ASCII_CAPITALS:
            pattern.append("_")
        elif char in "%_\\":
            pattern.append("\\" + char)
        else:
            pattern.append(char)
    return "%" + "".join(pattern) + "%"


def _sqlite_upper_simple(value: Any) -> Any:
    return upper_simple(value) if isinstance(value, str) else value


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give each new SQLite connection `upper_simple()`."""
    if connection.vendor == "sqlite":
        # Deterministic: SQLite then computes it once for a constant argument (the term).
        connection.connection.create_function(
            SQLITE_UPPER_FUNCTION, 1, _sqlite_upper_simple, deterministic=True
        )


@models.CharField.register_lookup
@models.TextField.register_lookup
class UnicodeIContains(Lookup):
    """`field__icontains_unicode=term`: a substring in any case, letters beyond A-Z included."""

    lookup_name = "icontains_unicode"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> Any:
        # Django's icontains to the letter: PostgreSQL's trigram indexes are built on its SQL.
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_sqlite(self, compiler: Any, connection: BaseDatabaseWrapper) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The term as it is: instr() has no wildcards, so `%`, `_` and `\` are plain text.
        rhs, rhs_params = self.process_rhs(compiler, connection)
        function = SQLITE_UPPER_FUNCTION
        sql = f"instr({function}({lhs}), {function}({rhs})) > 0"
        params = (*lhs_params, *rhs_params)
        if self.rhs_is_direct_value():
            # LIKE first, in C, so that Python folds only the rows it lets through. A list
            # searched among 100,000 records, in CPU time: 145 ms with Python on every row,
            # 48 to 70 ms with LIKE first (the more rows match, the more), icontains 44 to 49.
            sql = f"({lhs} LIKE %s ESCAPE '\\' AND {sql})"
            params = (*lhs_params, like_candidates(self.rhs), *params)
        return sql, params
